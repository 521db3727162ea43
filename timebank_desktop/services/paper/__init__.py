"""Paper (issue 4): the ledger's documents built from the database and written as PDF.

One small module per document family, each a service taking an `AppContext`:

- `slips.SlipPrinting`: service slips for chosen records or a month's unsigned ones;
- `statement.StatementService`: a member's passbook statement for a period;
- `certificates.CertificateService`: volunteer service and honour certificates, numbered and
  kept in the `IssuedDocument` register;
- `control.SlipControl`: a month's slip reconciliation and the staff handover package.

Every document is returned as data (the frozen dataclasses of `exports.pdf.data`) and written
by the `exports.pdf` renderers to a path (atomically) or an open binary file. A refusal writes
nothing.
"""
