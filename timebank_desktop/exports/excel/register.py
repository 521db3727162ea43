"""Read a legacy member register (one row per member, hours carried from the paper card).

Headers are matched by meaning, not position: the register's own column names vary from one
community to the next (姓名 / 名字, 联系电话 / 手机, 储蓄时长（小时） / 余额 …).
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.i18n import _

FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "name"),
    "gender": ("性别", "gender", "sex"),
    "id_number": ("身份证号", "身份证号码", "身份证", "证件号码", "id number", "id"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "phone"),
    "address": ("住址", "地址", "家庭住址", "address"),
    "role": ("身份", "角色", "类别", "role"),
    "balance": ("储蓄时长", "时长", "余额", "结余", "小时", "balance", "hours"),
    "registered": ("登记日期", "日期", "入会日期", "date"),
    "notes": ("备注", "说明", "notes"),
}
REQUIRED = ("name", "id_number")
MAX_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class RegisterRow:
    row: int  # the spreadsheet's own row number, as staff see it
    values: dict[str, Any]


def _key(text: object) -> str:
    folded = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return folded.split("(")[0].strip()


def _field_of(key: str) -> str | None:
    for field, names in FIELDS.items():
        if key in names:
            return field
    for field, names in FIELDS.items():  # "储蓄时长合计", "联系电话1" …
        if any(not n.isascii() and n in key for n in names):
            return field
    return None


def match_header(cells: tuple[object, ...]) -> dict[str, int]:
    """Column index of each known field in a header row (the first column wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = _field_of(_key(cell))
        if field is not None and field not in found:
            found[field] = index
    return found


def read_register(path: str | Path) -> Iterator[RegisterRow]:
    """The data rows of the first sheet whose header names at least a name and an ID number."""
    try:
        book = load_workbook(Path(path), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(
            _("Cannot read the register {path}: {reason}").format(path=Path(path).name, reason=exc)
        ) from exc
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            columns: dict[str, int] | None = None
            for number, cells in enumerate(rows, start=1):
                if columns is None:
                    candidate = match_header(cells)
                    if all(f in candidate for f in REQUIRED):
                        columns = candidate
                    elif number > 20:
                        break
                    continue
                if number > MAX_ROWS:
                    raise FileRejected(_("The register has more than {n} rows").format(n=MAX_ROWS))
                if all(c is None or str(c).strip() == "" for c in cells):
                    continue
                yield RegisterRow(
                    number, {f: cells[i] if i < len(cells) else None for f, i in columns.items()}
                )
            if columns is not None:
                return
        raise FileRejected(
            _("No header row with a name and an ID number column was found in {path}").format(
                path=Path(path).name
            )
        )
    finally:
        book.close()
