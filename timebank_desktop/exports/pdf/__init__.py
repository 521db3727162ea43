"""PDF documents (reportlab) with the shipped CJK font embedded as a subset.

One module per document, each taking the frozen dataclasses of `data`:

- `slips.render_slips`: service slips (服务凭条), one per page or three per A4 sheet;
- `statement.render_statement`: a member's passbook statement (存折式对账单);
- `certificate.render_service_certificate`: volunteer service certificate (志愿服务记录证明);
- `honour.render_honour_certificate`: honour certificate at an hour milestone (荣誉证书);
- `reconciliation.render_slip_reconciliation`: a month's slip control (凭条核对);
- `handover.render_handover`: the staff handover package (工作交接清单).

`layout` holds the shared drawing (text fitting, boxes, QR, hours), `flow` the paged
documents (tables repeating their header, "page n of m"), `fonts` the font registration.
Every renderer writes to a path (atomically) or to an open binary file.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from timebank_desktop.exports.pdf.certificate import render_service_certificate
    from timebank_desktop.exports.pdf.handover import render_handover
    from timebank_desktop.exports.pdf.honour import render_honour_certificate
    from timebank_desktop.exports.pdf.reconciliation import render_slip_reconciliation
    from timebank_desktop.exports.pdf.slips import render_slips
    from timebank_desktop.exports.pdf.statement import render_statement

# Loaded on first use (PEP 562): importing `data` must not load reportlab at GUI start-up.
_MODULES = {
    "render_handover": "handover",
    "render_honour_certificate": "honour",
    "render_service_certificate": "certificate",
    "render_slip_reconciliation": "reconciliation",
    "render_slips": "slips",
    "render_statement": "statement",
}
__all__ = [
    "render_handover",
    "render_honour_certificate",
    "render_service_certificate",
    "render_slip_reconciliation",
    "render_slips",
    "render_statement",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)
