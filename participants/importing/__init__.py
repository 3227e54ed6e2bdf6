"""Import of people from the spreadsheets staff keep (XLSX or CSV), in two steps:
`checking.import_dry_run` reads and checks a file and writes nothing;
`writing.import_confirm` writes the rows the staff member chose, in one transaction,
through `participants_create_many`.

The package by job: `vocabulary` (the header names and value spellings staff use),
`reading` (what the file really is, its size, the rows of a workbook or a CSV),
`checking` (the header, each cell and row, the dry run), `duplicates` (records and
earlier rows that may be the same person), `preview` (what a dry run says),
`writing` (keeping a preview for its confirmation, and the confirmation), `mapping`
(the staff member's choice of which column is which, remembered per header), and the
staff pages (`views`, `urls`).

What a file may hold: a header row (French, English or Arabic names, any case, stray
spaces) and one person per row. Decisions worth knowing:
- The header is the first row, or the first of the first ten rows that names a given
  name column (some sheets have a title above), else the one of them naming most
  columns. Row numbers are the spreadsheet's own. When a required column is not found,
  the staff member says which column is which (`mapping`); the choice is used again
  for the next file with the same headers.
- Only the first sheet of a workbook is read. A formula cell is an error of its row:
  formulas are not imported.
- Given name and group are needed; family name, birth year, nationality, phone, email,
  languages and needs may be empty. An empty sex means "unspecified" (the model has no
  "unknown"); any other unreadable value is an error.
- A birth date keeps only its year: dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd,
  a date cell or an Excel serial number, in the date or the year column.
- A nationality is a country's name, ISO code or demonym (`vocabulary`: English and
  French from the vendored demonyms.json, Arabic by hand); a demonym of two countries
  is an error that names both.
- Sensitive fields (legal status, identity document, notes) are never read, even if the
  file has such columns; the preview names the columns it left out.
- Consent is not imported: it is recorded per person, with its date and method.
"""
