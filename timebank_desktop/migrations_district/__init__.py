"""Alembic migrations of the district database (version table ``district_alembic_version``).

A chain of its own, separate from the centre's `timebank_desktop.migrations`; opened by
`timebank_desktop.services.district.database`.
"""
