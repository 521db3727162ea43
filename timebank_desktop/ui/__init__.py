"""Qt only: main window, pages, dialogs, item models. Talks to services, never the ORM."""
