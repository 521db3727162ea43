"""Bulk writes of the district import: the same results on SQLite and PostgreSQL, large or small.

On PostgreSQL a batch of 100 rows or more goes through ``COPY`` into a scratch table and one
``INSERT … SELECT … ON CONFLICT``; smaller batches and batches repeating a key run one
statement per row. Each must add, replace and insert exactly like the other.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from timebank_desktop.models.district import DistrictAccount, DistrictCentre, DistrictMember
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.bulk import table_of, upsert_add


def _key(n: int) -> str:
    return f"{n:064x}"


def _members(ctx: AppContext) -> dict[str, tuple[str, int, int]]:
    with ctx.read() as s:
        return {
            m.key: (m.gender, m.birth_year, m.balance) for m in s.scalars(select(DistrictMember))
        }


@pytest.mark.parametrize("size", [3, 250])
def test_upsert_adds_balances_and_inserts_new_keys(dctx: AppContext, size: int) -> None:
    table = table_of(DistrictMember)
    first = [
        {"key": _key(n), "gender": "F", "birth_year": 1950, "balance": n} for n in range(size)
    ]
    again = [
        {"key": _key(n), "gender": "M", "birth_year": 1960, "balance": 10}
        for n in range(size // 2, size + size // 2)
    ]
    with dctx.write() as s:
        upsert_add(s.connection(), table, ("key",), first, add=("balance",))
    with dctx.write() as s:  # two upserts into one table in one transaction
        upsert_add(s.connection(), table, ("key",), again, add=("balance",))
        upsert_add(s.connection(), table, ("key",), again[:1], add=("balance",))
    got = _members(dctx)
    assert len(got) == size + size // 2
    assert got[_key(0)] == ("F", 1950, 0)  # only in the first batch
    middle = size // 2
    assert got[_key(middle)] == ("F", 1950, middle + 20)  # gender kept: not in `replace`
    assert got[_key(size + middle - 1)] == ("M", 1960, 10)  # new in the second batch


def test_upsert_replaces_and_tolerates_a_repeated_key(dctx: AppContext) -> None:
    with dctx.write() as s:
        s.add(
            DistrictCentre(
                code="C01",
                name="c",
                public_key="k",
                fingerprint="f",
                head_hash="h",
                enrolled_at=dctx.now(),
            )
        )
        s.flush()
        centre = s.scalars(select(DistrictCentre.id)).one()
        rows = [
            {"centre_id": centre, "account": f"member:M{n:04d}", "key": _key(n), "roles": "",
             "balance": 5, "legs": 0}
            for n in range(150)
        ]  # fmt: skip
        table = table_of(DistrictAccount)
        keys = ("centre_id", "account")
        upsert_add(s.connection(), table, keys, rows, add=("balance", "legs"))
        changed = [{**r, "key": _key(1000 + i), "roles": "volunteer"} for i, r in enumerate(rows)]
        upsert_add(
            s.connection(), table, keys, [*changed, changed[0]], add=("balance",),
            replace=("key", "roles"),
        )  # fmt: skip
    with dctx.read() as s:
        got = {a.account: (a.key, a.roles, a.balance) for a in s.scalars(select(DistrictAccount))}
    assert len(got) == 150
    assert got["member:M0000"] == (_key(1000), "volunteer", 15)  # added twice (repeated row)
    assert got["member:M0149"] == (_key(1149), "volunteer", 10)


def test_a_reversal_takes_its_originals_flow_back() -> None:
    from timebank_desktop.services.district.legs import flow

    # B (2) served a member of A (1): B's clearing leg for A is negative.
    assert flow(2, 1, -90, "service") == (2, 1, 90)
    assert flow(2, 1, 90, "reversal") == (2, 1, -90)
    # A member of B (2) was served at A (1): A's clearing leg for B... seen from B's books.
    assert flow(2, 1, 60, "service") == (1, 2, 60)
    assert flow(2, 1, -60, "reversal") == (1, 2, -60)
