"""The registry import reads the spreadsheets staff really keep: title rows above the
header, one full-name column, group synonyms, demonyms, dates as typed or as Excel
serials, a formula cell and a closing total row."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from participants.importing.checking import import_dry_run, split_full_name
from participants.importing.reading import ImportFileError

DATA = Path(__file__).parent / "data"


def _preview(name: str):
    # The messages are read in English below, whatever the default language.
    with translation.override("en"):
        return import_dry_run(SimpleUploadedFile(name, (DATA / name).read_bytes()))


def test_full_name_split_by_capitals_comma_or_last_word():
    assert split_full_name("KEITA Fanta") == ("Fanta", "KEITA")
    assert split_full_name("Fanta KEITA") == ("Fanta", "KEITA")
    assert split_full_name("Keita, Fanta") == ("Fanta", "Keita")
    assert split_full_name("Jean Paul Mbarga") == ("Jean Paul", "Mbarga")
    assert split_full_name("فاطمة الزهراء بناني") == ("فاطمة الزهراء بناني", "")


def test_messy_csv_rows_read_with_expected_outcome(db):
    preview = _preview("messy_registry.csv")
    rows = {row.number: row for row in preview.rows}
    # Two title rows, the header on row 3; the total row (row 11) is skipped.
    assert sorted(rows) == [4, 5, 6, 7, 8, 9, 10]
    assert preview.total_rows == [11]
    fanta = rows[4].values
    assert (fanta["given_name"], fanta["family_name"]) == ("Fanta", "KEITA")
    assert (fanta["group"], fanta["nationality"], fanta["birth_year"]) == ("newcomer", "ML", 2003)
    assert rows[5].values["nationality"] == "CM"
    assert rows[5].values["birth_year"] == 1997  # Excel serial 35432 is 1997-01-02
    assert rows[6].values["family_name"] == "Diallo"
    assert rows[6].values["nationality"] == "CI"
    assert rows[7].values["group"] == "local_youth"
    assert rows[7].values["nationality"] == "MA"
    assert rows[7].values["birth_year"] == 1995
    assert rows[8].values["nationality"] == "NG"
    assert rows[8].values["group"] == "newcomer"
    assert not any(rows[n].errors for n in (4, 5, 6, 7, 8))
    assert any("1900" in message for _, message in rows[9].errors)
    assert rows[9].values["nationality"] == "SN"
    assert any("formulas are not imported" in message for _, message in rows[10].errors)


def test_header_without_name_column_names_recognised_and_missing(db):
    data = "Titre\nCatégorie;Nationalité;Téléphone\nMigrante;Malienne;0612345678\n"
    with translation.override("en"), pytest.raises(ImportFileError) as refused:
        import_dry_run(SimpleUploadedFile("x.csv", data.encode()))
    message = refused.value.message
    assert "Recognised columns: Catégorie, Nationalité, Téléphone." in message
    assert "Missing required columns: Given name." in message


def test_the_preview_says_which_row_was_read_as_a_total(officer, client_for):
    from pathlib import Path

    from django.urls import reverse

    client = client_for(officer)
    data = (Path(__file__).parent / "data" / "messy_registry.csv").read_bytes()
    with translation.override("fr"):
        response = client.post(
            reverse("participants:import"), {"file": SimpleUploadedFile("l.csv", data)}
        )
        page = client.get(response["Location"]).content.decode()
    assert "La ligne 11 se lit comme un total" in page
