"""Plain-text accounting journal (hledger / ledger syntax), one account per member.

Amounts are hours in the commodity ``h``. Minutes that are not whole hundredths of an hour are
written with six decimals, and the last posting of each transaction is left for the reader to
infer, so every transaction balances exactly and every account sums to its balance within a
millionth of an hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

COMMODITY = "h"


@dataclass(frozen=True, slots=True)
class JournalTx:
    seq: int
    value_date: date
    kind: str
    description: str
    postings: tuple[tuple[str, int], ...]  # (journal account name, minutes)


def hours_text(minutes: int) -> str:
    value = (Decimal(minutes) / 60).quantize(Decimal("0.000001"))
    text = format(value, "f").rstrip("0")
    if text.endswith("."):
        text += "00"
    elif len(text.split(".")[1]) == 1:
        text += "0"
    return text


def account_name(code: str) -> str:
    """``member:M000001`` → ``member:M000001``; system accounts under ``centre:``."""
    return code if code.startswith(("member:", "clearing:")) else f"centre:{code}"


def _clean(text: str) -> str:
    return " ".join(text.replace(";", ",").split())


def lines(transactions: Iterable[JournalTx]) -> Iterator[str]:
    yield f"; Timebank Desktop journal — amounts in hours ({COMMODITY})"
    yield f"commodity 1.00 {COMMODITY}"
    yield ""
    for tx in transactions:
        yield f"{tx.value_date.isoformat()} * {_clean(tx.description) or tx.kind}  ; seq:{tx.seq}"
        for i, (account, minutes) in enumerate(tx.postings):
            last = i == len(tx.postings) - 1
            if last:
                yield f"    {account_name(account)}"
            else:
                yield f"    {account_name(account)}  {hours_text(minutes)} {COMMODITY}"
        yield ""


def write_journal(transactions: Iterable[JournalTx], handle: IO[bytes]) -> int:
    count = 0
    for line in lines(transactions):
        handle.write(line.encode("utf-8") + b"\n")
        if line.startswith(" ") is False and line[:1].isdigit():
            count += 1
    return count
