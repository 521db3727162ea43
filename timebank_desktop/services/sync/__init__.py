"""The centre's side of sync (通存通兑, DESIGN §5; file format: docs/sync-format.md).

- `files.SyncFileService`: ``sync enrolment`` and ``sync import`` (district configuration or
  statement, verified completely, applied all-or-nothing and idempotently);
- `export.ExportService`: ``sync export`` (everything since the last export, signed, written
  atomically and re-read);
- `visitors.VisitorService`: honour a visiting member of another centre against the last
  district statement, up to the policy's away allowance, through a clearing account;
- `status.SyncStatusService`: what the Sync page shows (keys, district, history).
"""
