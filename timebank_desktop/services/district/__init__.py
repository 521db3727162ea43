"""District services (区级): keys and enrolment, configuration, import, statement, report.

Each runs on a district database opened with `database.open_district_database` and a
`timebank_desktop.services.context.AppContext` for its clock and actor.
"""
