"""The sync page (centre export/import, district mode); a placeholder until it is built."""

from timebank_desktop.ui.pages.placeholder import SyncPage

__all__ = ["SyncPage"]
