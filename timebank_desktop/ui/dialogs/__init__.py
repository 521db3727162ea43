"""Dialogs: sign-in, set-up, member, account operations, help."""
