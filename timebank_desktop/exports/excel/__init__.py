"""Excel workbooks (openpyxl) and CSV.

- `monthly.write_monthly_report`: the centre's monthly workbook (月度报表), streamed in
  openpyxl's write-only mode; its input is `monthly_data.MonthlyReport`;
- `district.write_district_report`: the district workbook (区级汇总), input
  `district_data.DistrictReport`;
- `tables.write_table_xlsx` / `tables.write_table_csv`: any list the GUI shows;
- `register`: the legacy member register reader (import, not export).

`cells` holds the one formula-safe text helper and the cell styles, `sheet` the shared sheet
set-up (frozen header, autofilter, fitted widths, A4 landscape with repeated header rows and a
footer), `progress` the progress/cancel plumbing. Writers never import this package's
``__init__``-level names: import the module you need.
"""
