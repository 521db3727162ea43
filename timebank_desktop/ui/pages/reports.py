"""The reports page (monthly Excel report); a placeholder until it is built."""

from timebank_desktop.ui.pages.placeholder import ReportsPage

__all__ = ["ReportsPage"]
