"""Import files read, checked and planned, one job per module.

- `file_text`: a file's format from its name, and its bytes as text (encodings guarded);
- `rows`: CSV, JSON and JSON Lines text as numbered rows of cells;
- `workbook`: an .xlsx sheet as the same rows;
- `plan`: each row checked against the stored projects, and what importing it does;
- `describe`: the lines that tell a person what an import does.

Pure: bytes or text in, validated records, plans and lines out. Nothing here
opens files, touches the database or prints; `commands/transfer.py` does the
reading and writing, `store/transfer.py` the SQL.

Import checks the whole file before anything is written and collects every
bad row with its number as a spreadsheet counts it (the CSV header is row 1;
a JSON item's number is its 1-based position; a JSON Lines item's its line).

CSV output neutralises cells a spreadsheet would run as a formula
(formats.escape_cell); import removes that escape again (formats.unescape_cell).
"""
