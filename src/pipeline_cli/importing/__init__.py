"""Import files read, checked and planned, one job per module.

- `source`: the file (or stdin) as a stream of bytes and of text lines, its encoding checked first;
- `file_text`: a file's format from its name, and its bytes as text (encodings guarded);
- `rows`: CSV, JSON and JSON Lines text as numbered rows of cells, read lazily;
- `workbook`: an .xlsx sheet as the same rows;
- `plan`: each row checked against the stored projects, batch by batch, and what importing it does;
- `describe`: the lines that tell a person what an import does.

Nothing here touches the database or prints; `commands/transfer.py` runs the
batches (read, check, write) in one transaction, `store/transfer.py` has
the SQL. An import streams: CSV, JSON Lines and workbooks are read row by
row, so 100,000 rows take about 70 MiB, not the file, its text and every
row at once (a JSON array is parsed whole, as JSON must be).

Import checks the whole file, in the transaction that writes it, and collects every
bad row with its number as a spreadsheet counts it (the CSV header is row 1;
a JSON item's number is its 1-based position; a JSON Lines item's its line).

CSV output neutralises cells a spreadsheet would run as a formula
(formats.escape_cell); import removes that escape again (formats.unescape_cell).
"""
