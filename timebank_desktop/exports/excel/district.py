"""The district workbook (区级汇总): one row per centre, the cross-centre flow matrix, issues.

Same conventions as the monthly workbook (`sheet`): streamed, numbers as numbers, hours as
``0.00``, frozen header, autofilter, fitted widths, A4 landscape with repeated header rows and
a footer; written atomically, with progress and cancel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from openpyxl import Workbook

from timebank_desktop.exports.excel.cells import CellValue, Hours
from timebank_desktop.exports.excel.district_data import (
    CentreStatus,
    DistrictIssueKind,
    DistrictReport,
)
from timebank_desktop.exports.excel.progress import CancelFn, ProgressFn, Ticker
from timebank_desktop.exports.excel.sheet import (
    PageFooter,
    TableSpec,
    save_streamed,
    write_table_sheet,
)
from timebank_desktop.i18n import N_, translate

Row = Sequence[CellValue]

STATUS_LABELS = {
    CentreStatus.OK: N_("Up to date"),
    CentreStatus.OVERDUE: N_("File overdue"),
    CentreStatus.MISSING: N_("No file received"),
    CentreStatus.REJECTED: N_("File rejected"),
}
ISSUE_LABELS = {
    DistrictIssueKind.FORK: N_("Chain fork"),
    DistrictIssueKind.GAP: N_("Sequence gap"),
    DistrictIssueKind.OVERDRAFT: N_("Overdraft"),
    DistrictIssueKind.LATE_FILE: N_("Late file"),
    DistrictIssueKind.LOST: N_("Lost after a restore"),
    DistrictIssueKind.OTHER: N_("Other"),
}
CENTRE_HEADERS = (
    N_("Centre code"),
    N_("Centre"),
    N_("Services"),
    N_("Hours credited"),
    N_("Hours withdrawn"),
    N_("Members"),
    N_("Balance outstanding (hours)"),
    N_("Last file received"),
    N_("File status"),
)


def _t(labels: Sequence[str], lang: str) -> list[str]:
    return [translate(label, lang) for label in labels]


def _centre_spec(data: DistrictReport, lang: str) -> TableSpec:
    status = {k: translate(v, lang) for k, v in STATUS_LABELS.items()}
    centres = data.centres

    def rows() -> Iterator[Row]:
        for c in centres:
            yield (
                c.code, c.name, c.services, Hours(c.credited_minutes),
                Hours(c.withdrawn_minutes), c.members, Hours(c.balance_minutes),
                c.last_file, status[c.status],
            )  # fmt: skip

    total: Row = (
        translate("Total", lang),
        None,
        sum(c.services for c in centres),
        Hours(sum(c.credited_minutes for c in centres)),
        Hours(sum(c.withdrawn_minutes for c in centres)),
        sum(c.members for c in centres),
        Hours(sum(c.balance_minutes for c in centres)),
    )
    return TableSpec(translate("Centres", lang), _t(CENTRE_HEADERS, lang), rows, tail=[total])


def flow_matrix(data: DistrictReport) -> dict[tuple[str, str], int]:
    """Minutes per (from centre, to centre); flows naming the same pair are added up."""
    cells: dict[tuple[str, str], int] = {}
    for f in data.flows:
        key = (f.from_code, f.to_code)
        cells[key] = cells.get(key, 0) + f.minutes
    return cells


def _flow_spec(data: DistrictReport, lang: str) -> TableSpec:
    cells = flow_matrix(data)
    codes = [c.code for c in data.centres]
    names = [c.name for c in data.centres]
    headers = [translate("From \\ to", lang), *names, translate("Total", lang)]

    def rows() -> Iterator[Row]:
        for code, name in zip(codes, names, strict=True):
            line = [cells.get((code, to), 0) for to in codes]
            yield (name, *(Hours(m) if m else None for m in line), Hours(sum(line)))

    column_sums = [sum(cells.get((frm, to), 0) for frm in codes) for to in codes]
    total: Row = (
        translate("Total", lang),
        *(Hours(m) for m in column_sums),
        Hours(sum(column_sums)),
    )
    return TableSpec(
        translate("Cross-centre flows", lang), headers, rows, tail=[total], freeze="B2"
    )


def _issue_spec(data: DistrictReport, lang: str) -> TableSpec:
    labels = {k: translate(v, lang) for k, v in ISSUE_LABELS.items()}
    names = {c.code: c.name for c in data.centres}
    headers = (
        N_("Exception kind"), N_("Centre code"), N_("Centre"), N_("Date"),
        N_("Reference"), N_("Description"),
    )  # fmt: skip

    def rows() -> Iterator[Row]:
        for i in data.issues:
            yield (
                labels[i.kind], i.centre_code, names.get(i.centre_code, ""), i.on,
                i.reference, i.description,
            )  # fmt: skip

    return TableSpec(translate("Exceptions", lang), _t(headers, lang), rows)


def write_district_report(
    data: DistrictReport,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    language: str = "zh_CN",
) -> None:
    """Write the district workbook for ``data`` to ``path`` (an ``.xlsx``), atomically.

    Sheets: 各社区 (one row per centre and a totals row), 跨社区流转 (hours from each
    centre's volunteers to each centre's recipients, with row and column totals), 异常
    (forks, gaps, overdrafts, late files). ``progress``, ``cancel`` and ``language`` work as
    in `timebank_desktop.exports.excel.monthly.write_monthly_report`.
    """
    total = 2 * len(data.centres) + len(data.issues) + 2
    ticker = Ticker(total, progress, cancel)
    footer = PageFooter(data.district_name, str(data.month), language)

    def build(wb: Workbook) -> None:
        ticker.checkpoint()
        wb.properties.title = translate("District report", language)
        wb.properties.creator = "Timebank Desktop"
        for make in (_centre_spec, _flow_spec, _issue_spec):
            write_table_sheet(wb, make(data, language), footer, ticker)

    save_streamed(path, build)
    ticker.finish()
