"""The monthly workbook (月度报表), streamed with openpyxl's write-only mode.

Sheets: 概览 summary (`summary`), 服务明细 every service, 志愿者 per volunteer, 服务对象 per
recipient, 账户余额 per account (with check formulas and a totals row), 异常 exceptions.
Numbers are stored as numbers (hours as ``minutes / 60`` formatted ``0.00``), dates as dates,
user text always as text. The file appears under its name only when complete.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from openpyxl import Workbook

from timebank_desktop.exports.excel.cells import CellValue, Formula, Hours
from timebank_desktop.exports.excel.monthly_data import (
    AccountRow,
    ExceptionKind,
    MonthlyReport,
    Rating,
    SignatureState,
)
from timebank_desktop.exports.excel.progress import CancelFn, ProgressFn, Ticker
from timebank_desktop.exports.excel.sheet import (
    PageFooter,
    TableSpec,
    save_streamed,
    write_table_sheet,
)
from timebank_desktop.exports.excel.summary import write_summary_sheet
from timebank_desktop.i18n import N_, translate

Row = Sequence[CellValue]
SUMMARY_ROWS = 60  # the summary sheet's rows, for the progress estimate

SIGNATURE_LABELS = {
    SignatureState.SIGNED: N_("Signed"),
    SignatureState.UNSIGNED: N_("Not signed"),
    SignatureState.DISPUTED: N_("Disputed"),
}
RATING_LABELS = {
    Rating.SATISFIED: N_("Satisfied"),
    Rating.NEUTRAL: N_("Neutral"),
    Rating.DISSATISFIED: N_("Dissatisfied"),
}
EXCEPTION_LABELS = {
    ExceptionKind.UNSIGNED: N_("Unsigned slip"),
    ExceptionKind.DISPUTE: N_("Dispute"),
    ExceptionKind.OVERDRAFT: N_("Overdraft"),
    ExceptionKind.REVERSAL: N_("Reversal"),
    ExceptionKind.LATE: N_("Late entry"),
    ExceptionKind.INSURANCE: N_("Accident insurance expired"),
    ExceptionKind.CERTIFICATE: N_("Training certificate expired"),
    ExceptionKind.OTHER: N_("Other"),
}
SERVICE_HEADERS = (
    N_("Slip number"),
    N_("Date"),
    N_("Volunteer number"),
    N_("Volunteer"),
    N_("Recipient number"),
    N_("Recipient"),
    N_("Service category"),
    N_("Duration (hours)"),
    N_("Credited (hours)"),
    N_("Payer"),
    N_("Signature"),
    N_("Satisfaction"),
    N_("Late entry"),
)
ACCOUNT_HEADERS = (
    N_("Account code"),
    N_("Name"),
    N_("Opening (hours)"),
    N_("Credits (hours)"),
    N_("Debits (hours)"),
    N_("Closing (hours)"),
    N_("Balance check"),
)


def _t(labels: Sequence[str], lang: str) -> list[str]:
    return [translate(label, lang) for label in labels]


def _service_spec(data: MonthlyReport, lang: str) -> TableSpec:
    signature = {k: translate(v, lang) for k, v in SIGNATURE_LABELS.items()}
    rating = {k: translate(v, lang) for k, v in RATING_LABELS.items()}
    yes, no, unrated = translate("Yes", lang), translate("No", lang), translate("Not rated", lang)

    def rows() -> Iterator[Row]:
        for s in data.services:
            yield (
                s.slip_no, s.service_date, s.volunteer_no, s.volunteer_name,
                s.recipient_no, s.recipient_name, s.category,
                Hours(s.duration_minutes), Hours(s.credited_minutes), s.payer,
                signature[s.signature], rating[s.rating] if s.rating else unrated,
                yes if s.late else no,
            )  # fmt: skip

    return TableSpec(translate("Service details", lang), _t(SERVICE_HEADERS, lang), rows)


def _volunteer_spec(data: MonthlyReport, lang: str) -> TableSpec:
    headers = (
        N_("Member number"), N_("Name"), N_("Services"), N_("Hours this month"),
        N_("Cumulative hours"), N_("Balance (hours)"), N_("Star level"),
    )  # fmt: skip

    def rows() -> Iterator[Row]:
        for v in data.volunteers:
            yield (
                v.member_no, v.name, v.services, Hours(v.credited_minutes),
                Hours(v.cumulative_minutes), Hours(v.balance_minutes), v.star_level,
            )  # fmt: skip

    return TableSpec(translate("Volunteers", lang), _t(headers, lang), rows)


def _recipient_spec(data: MonthlyReport, lang: str) -> TableSpec:
    headers = (N_("Member number"), N_("Name"), N_("Services"), N_("Hours received"))

    def rows() -> Iterator[Row]:
        for r in data.recipients:
            yield (r.member_no, r.name, r.services, Hours(r.received_minutes))

    return TableSpec(translate("Recipients", lang), _t(headers, lang), rows)


CHECK = '=IF(ROUND(C{r}+D{r}-E{r}-F{r},2)=0,"✓","✗")'
TOTAL_CHECK = '=IF(AND(ROUND(C{r},2)=0,ROUND(F{r},2)=0,ROUND(D{r}-E{r},2)=0),"✓","✗")'


def account_rows(accounts: Sequence[AccountRow]) -> Iterator[Row]:
    """Rows of the 账户余额 sheet: C opening, D credits, E debits, F closing, G check."""
    for index, a in enumerate(accounts, 2):
        yield (
            a.code, a.name, Hours(a.opening_minutes), Hours(a.credit_minutes),
            Hours(a.debit_minutes), Hours(a.closing_minutes), Formula(CHECK.format(r=index)),
        )  # fmt: skip


def account_totals(count: int, lang: str) -> Row:
    """The totals row under ``count`` accounts: SUMs, and a check that they net to zero."""
    last, total = count + 1, count + 2
    sums = [Formula(f"=SUM({c}2:{c}{last})", hours=True, width=10) for c in "CDEF"]
    return [translate("Total", lang), None, *sums, Formula(TOTAL_CHECK.format(r=total))]


def _account_spec(data: MonthlyReport, lang: str) -> TableSpec:
    note = translate(
        "Check: opening + credits − debits = closing; the totals of openings and closings "
        "are zero and credits equal debits.",
        lang,
    )
    return TableSpec(
        translate("Account balances", lang),
        _t(ACCOUNT_HEADERS, lang),
        lambda: account_rows(data.accounts),
        tail=[account_totals(len(data.accounts), lang)],
        notes=[(), (note,)],
        min_widths=(0, 0, 10, 10, 10, 10),
    )


def _exception_spec(data: MonthlyReport, lang: str) -> TableSpec:
    headers = (N_("Exception kind"), N_("Reference"), N_("Date"), N_("Description"))
    labels = {k: translate(v, lang) for k, v in EXCEPTION_LABELS.items()}

    def rows() -> Iterator[Row]:
        for e in data.exceptions:
            yield (labels[e.kind], e.reference, e.on, e.description)

    return TableSpec(translate("Exceptions", lang), _t(headers, lang), rows)


def _row_count(data: MonthlyReport) -> int:
    return (
        SUMMARY_ROWS
        + sum(
            len(part) for part in (data.services, data.volunteers, data.recipients, data.accounts)
        )
        + len(data.exceptions)
    )


def write_monthly_report(
    data: MonthlyReport,
    target_path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    language: str = "zh_CN",
) -> None:
    """Write the monthly workbook for ``data`` to ``target_path`` (an ``.xlsx``).

    Args:
        data: the month, as the services layer fills it.
        target_path: where the workbook goes; written atomically.
        progress: called now and then with (rows written, rows in all).
        cancel: asked now and then; returning True stops the export with `ExportCancelled`,
            leaving no file under ``target_path`` (an existing one is kept intact).
        language: ``"zh_CN"`` (default) or ``"en"`` for the sheet names and headers.
    """
    ticker = Ticker(_row_count(data), progress, cancel)
    footer = PageFooter(data.centre_name, str(data.month), language)

    def build(wb: Workbook) -> None:
        ticker.checkpoint()
        wb.properties.title = translate("Monthly report", language)
        wb.properties.creator = "Timebank Desktop"
        write_summary_sheet(wb, data, footer, ticker)
        for make in (
            _service_spec, _volunteer_spec, _recipient_spec, _account_spec, _exception_spec
        ):  # fmt: skip
            write_table_sheet(wb, make(data, language), footer, ticker)

    save_streamed(target_path, build)
    ticker.finish()
