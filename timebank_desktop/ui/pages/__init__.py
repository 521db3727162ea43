"""One class per page of the main window (dashboard, members, service form, records, …)."""
