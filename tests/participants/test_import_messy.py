"""The registry import reads the spreadsheets staff really keep: title rows above the
header, one full-name column, group synonyms, demonyms, dates as typed or as Excel
serials, a formula cell and a closing total row."""

import importlib.util
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django_countries import countries
from openpyxl import Workbook

from participants.importing import vocabulary
from participants.importing.checking import import_dry_run, split_full_name
from participants.importing.preview import DUPLICATE, ERROR, ImportRow
from participants.importing.reading import ImportFileError

DATA = Path(__file__).parent / "data"
# The generator beside the data is a script, not a module of a package.
_spec = importlib.util.spec_from_file_location("make_messy_xlsx", DATA / "make_messy_xlsx.py")
assert _spec is not None and _spec.loader is not None
make_messy_xlsx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_messy_xlsx)


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


# --- The committed messy workbook (make_messy_xlsx.py writes it) -------------------

THIS_YEAR = timezone.localdate().year


def test_messy_registry_xlsx_reads_each_row_as_expected(db):
    preview = _preview("messy_registry.xlsx")
    rows = {row.number: row for row in preview.rows}
    # Two title rows, the header on row 3, thirteen people, the total on row 17.
    assert sorted(rows) == list(range(4, 17))
    assert preview.total_rows == [17]
    assert preview.sensitive_columns == ["Statut juridique"]
    # "Type de demande" is not the group: a header is matched whole, never by a part.
    assert preview.ignored_columns == ["Type de demande"]

    def read(number: int) -> tuple[object, ...]:
        values = rows[number].values
        return tuple(
            values[name]
            for name in ("given_name", "family_name", "group", "nationality", "birth_year")
        )

    assert read(4) == ("Fanta", "KEITA", "newcomer", "ML", 2003)
    # An Excel serial in a General cell: 35432 is 2 January 1997.
    assert read(5) == ("Jean", "MBARGA", "newcomer", "CM", 1997)
    assert read(6) == ("Aminata", "Diallo", "newcomer", "CI", 1995)  # 12-03-1995
    # An Arabic full name stays whole, in the given name.
    assert read(7) == ("فاطمة الزهراء بناني", "", "local_youth", "MA", 1995)  # 1995-03-12
    assert read(8) == ("Musa", "Ibrahim", "newcomer", "NG", 1995)  # 12.03.1995
    assert read(9) == ("Awa", "NDIAYE", "local_youth", "SN", 1995)  # 12/03/1995
    assert read(10) == ("Youssef", "El Amrani", "mre", "FR", 1990)  # a date cell
    assert read(11) == ("Omar", "Haddad", "mre", "MA", 1997)  # a serial with a time
    assert read(12) == ("محمد الأمين", "", "mre", "MA", 1997)  # a serial typed as text
    assert all(rows[n].errors == [] for n in range(4, 13))
    assert rows[4].values["phone"] == "+212612345678"  # typed as a number, 0 lost
    assert rows[13].errors == [
        (
            "Nationalité",
            "“Congolaise” may mean more than one country: Democratic Republic of the "
            "Congo (CD), Congo (CG). Write the country's name or its ISO code.",
        )
    ]
    assert rows[14].errors == [
        ("Nom et prénom", "This cell holds a formula: formulas are not imported.")
    ]
    assert rows[15].errors == [
        ("Date de naissance", f"Please give a year between 1900 and {THIS_YEAR}.")
    ]
    assert rows[15].values["nationality"] == "NE"  # Nigérien: Niger, not Nigeria
    # "Keita, Fanta" born 2003 with the same phone is the person of row 4.
    assert read(16) == ("Fanta", "Keita", "newcomer", "ML", 2003)
    assert (rows[16].status, rows[16].duplicate_rows) == (DUPLICATE, [4])
    assert [n for n, row in rows.items() if row.status == ERROR] == [13, 14, 15]


def test_messy_registry_xlsx_errors_read_in_french(db):
    data = (DATA / "messy_registry.xlsx").read_bytes()
    with translation.override("fr"):
        preview = import_dry_run(SimpleUploadedFile("liste.xlsx", data))
    errors = {row.number: row.errors for row in preview.rows if row.errors}
    assert errors == {
        13: [
            (
                "Nationalité",
                "« Congolaise » peut désigner plusieurs pays : République démocratique du "
                "Congo (CD), Congo (CG). Écrivez le nom du pays ou son code ISO.",
            )
        ],
        14: [
            (
                "Nom et prénom",
                "Cette cellule contient une formule : les formules ne sont pas importées.",
            )
        ],
        15: [
            (
                "Date de naissance",
                f"Veuillez indiquer une année entre 1900 et {THIS_YEAR}.",
            )
        ],
    }


def test_the_committed_registry_workbook_is_what_its_script_writes(db, tmp_path):
    fresh = tmp_path / "messy_registry.xlsx"
    make_messy_xlsx.build_registry(fresh)
    committed = _preview("messy_registry.xlsx")
    with translation.override("en"):
        made = import_dry_run(SimpleUploadedFile("m.xlsx", fresh.read_bytes()))
    assert [(r.number, r.values, r.errors) for r in made.rows] == [
        (r.number, r.values, r.errors) for r in committed.rows
    ]


# --- Demonyms ---------------------------------------------------------------------


def _nationality_of(typed: str, language: str = "en") -> ImportRow:
    data = f"Prénom;Groupe;Nationalité\nAwa;autre;{typed}\n".encode()
    with translation.override(language):
        return import_dry_run(SimpleUploadedFile("n.csv", data)).rows[0]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        # French, masculine and feminine.
        ("Malien", "ML"), ("Malienne", "ML"), ("sénégalais", "SN"), ("SENEGALAISE", "SN"),
        ("Guinéen", "GN"), ("Guinéenne", "GN"), ("Bissau-Guinéenne", "GW"),
        ("Bissau Guinéen", "GW"), ("Équato-guinéenne", "GQ"), ("Nigérien", "NE"),
        ("Nigérienne", "NE"), ("Nigérian", "NG"), ("Nigériane", "NG"), ("Soudanais", "SD"),
        ("Soudanaise", "SD"), ("Sud-Soudanais", "SS"), ("sud soudanaise", "SS"),
        ("Burkinabè", "BF"), ("Cap-verdienne", "CV"), ("Française", "FR"),
        ("Congolais (RDC)", "CD"), ("Congolaise (Brazzaville)", "CG"), ("Hollandaise", "NL"),
        # English adjectives.
        ("Ivorian", "CI"), ("Cameroonian", "CM"), ("French", "FR"), ("American", "US"),
        ("Samoan", "WS"), ("Guinea-Bissauan", "GW"), ("Nigerien", "NE"),
        # Arabic, masculine and feminine, with or without hamza.
        ("مالي", "ML"), ("مالية", "ML"), ("سنغالي", "SN"), ("سنغالية", "SN"),
        ("إيفواري", "CI"), ("ايفوارية", "CI"), ("كاميروني", "CM"), ("كاميرونية", "CM"),
        ("غيني", "GN"), ("غينية", "GN"), ("سوداني", "SD"), ("سودانية", "SD"),
        ("جنوب سودانية", "SS"), ("نيجيري", "NG"), ("نيجيرية", "NG"), ("نيجري", "NE"),
        ("غيني بيساوي", "GW"), ("مغربي", "MA"), ("مغربية", "MA"), ("المغربية", "MA"),
        ("السنغالي", "SN"),
    ],
)  # fmt: skip
def test_demonyms_name_their_country(db, typed: str, code: str):
    row = _nationality_of(typed)
    assert row.errors == []
    assert row.values["nationality"] == code


@pytest.mark.parametrize(
    ("typed", "choices"),
    [
        ("Congolais", ("(CD)", "(CG)")),
        ("congolese", ("(CD)", "(CG)")),
        ("كونغولية", ("(CD)", "(CG)")),
        ("Dominican", ("(DM)", "(DO)")),
        ("Sahraoui", ("(EH)", "(MA)")),
    ],
)
def test_an_ambiguous_demonym_is_asked_about_naming_the_choices(
    db, typed: str, choices: tuple[str, ...]
):
    row = _nationality_of(typed)
    assert row.status == ERROR
    (column, message), *_ = row.errors
    assert column == "Nationalité"
    assert message.startswith(f"“{typed}” may mean more than one country: ")
    assert all(choice in message for choice in choices)


# Territories the source gives no demonym, or no French one, and that have no people of
# their own or whose people are named after the sovereign country (Svalbard: Norwegian).
NO_DEMONYM = {"BV", "HM", "GS", "UM", "IO", "SJ", "TC", "VG", "VI"}


def test_every_country_has_its_english_and_french_demonyms():
    data = json.loads(vocabulary.DEMONYMS_FILE.read_text(encoding="utf-8"))["countries"]
    table = vocabulary.country_lookup()
    known = table.keys() | vocabulary.ambiguous_demonyms().keys()
    missing = []
    for code, _name in countries:
        if code in NO_DEMONYM:
            continue
        entry = data.get(code, {})
        english = {entry.get("eng", {}).get(g) for g in "mf"} - {"", None}
        french = {entry.get("fra", {}).get(g) for g in "mf"} - {"", None}
        french |= set(vocabulary.LOCAL_DEMONYMS.get(code, ()))
        if not english or not french or not {vocabulary.fold(w) for w in english} <= known:
            missing.append(code)
    assert missing == []


SUB_SAHARAN_AFRICA = [
    "AO", "BJ", "BW", "BF", "BI", "CV", "CM", "CF", "TD", "KM", "CG", "CD", "CI", "DJ", "GQ",
    "ER", "SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR", "MG", "MW", "ML", "MR",
    "MU", "MZ", "NA", "NE", "NG", "RW", "ST", "SN", "SC", "SL", "SO", "ZA", "SS", "SD", "TZ",
    "TG", "UG", "ZM", "ZW",
]  # fmt: skip
REGION = [
    "MA", "DZ", "TN", "LY", "EG", "SY", "LB", "JO", "PS", "IQ", "SA", "YE", "OM", "AE", "QA",
    "KW", "BH",
]  # fmt: skip


def test_arabic_demonyms_cover_the_region_and_sub_saharan_africa():
    for code in SUB_SAHARAN_AFRICA + REGION:
        forms = vocabulary.ARABIC_DEMONYMS[code]
        # Masculine and feminine: the feminine ends in teh marbuta.
        assert len(forms) >= 2 and forms[1].endswith("ة"), code
        for form in forms:
            found = vocabulary.country_lookup().get(vocabulary.fold(form))
            assert (
                found == code or code in vocabulary.ambiguous_demonyms()[vocabulary.fold(form)]
            ), form


# --- Group synonyms and the header ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "group"),
    [
        ("Jeunes de la commune", "local_youth"), ("Nouvelle arrivante", "newcomer"),
        ("Migrante", "newcomer"), ("Subsaharien(ne)", "newcomer"),
        ("Marocain résidant à l'étranger", "mre"), ("Marocaine résidant à l\u2019étranger", "mre"),
        ("MRE", "mre"), ("شاب", "local_youth"), ("شابة", "local_youth"),
        ("مهاجر", "newcomer"), ("مهاجرة", "newcomer"), ("مغربي مقيم بالخارج", "mre"),
    ],
)  # fmt: skip
def test_group_synonyms_are_read(db, typed: str, group: str):
    data = f"Prénom;Catégorie\nAwa;{typed}\n".encode()
    row = import_dry_run(SimpleUploadedFile("g.csv", data)).rows[0]
    assert (row.errors, row.values["group"]) == ([], group)


def test_a_header_is_matched_whole_so_type_de_demande_is_not_the_group(db):
    data = "Prénom;Type de demande;Type d'activité;Catégorie\nAwa;Logement;Atelier;MRE\n"
    preview = _preview_of(data)
    assert preview.rows[0].values["group"] == "mre"
    assert preview.ignored_columns == ["Type de demande", "Type d'activité"]


def test_two_columns_for_the_group_are_named_and_nothing_is_guessed(db):
    data = "Prénom;Type;Catégorie\nAwa;Atelier;MRE\n"
    with pytest.raises(ImportFileError) as refused:
        _preview_of(data)
    assert refused.value.message == (
        "Two columns of the file mean the same thing: “Type” and “Catégorie”."
    )


# --- Dates of birth ---------------------------------------------------------------


def _preview_of(text: str):
    with translation.override("en"):
        return import_dry_run(SimpleUploadedFile("d.csv", text.encode()))


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("2003", 2003), ("35432", 1997), ("35432.0", 1997), ("35432.5", 1997),
        ("12-03-1995", 1995), ("1995-03-12", 1995), ("12.03.1995", 1995),
        ("12/03/1995", 1995), ("1/2/2001", 2001), ("1995-03-12 00:00:00", 1995),
        ("12/03/1995 00:00", 1995),
    ],
)  # fmt: skip
@pytest.mark.parametrize("column", ["Date de naissance", "Année de naissance"])
def test_dates_of_birth_in_every_notation_keep_their_year(db, column: str, typed: str, year):
    row = _preview_of(f"Prénom;Groupe;{column}\nAwa;autre;{typed}\n").rows[0]
    assert (row.errors, row.values["birth_year"]) == ([], year)


def test_date_cells_and_serial_numbers_of_a_workbook_keep_their_year(db):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Prénom", "Groupe", "Date de naissance"])
    for value in (datetime(1990, 6, 15), date(1988, 1, 31), 35432, 35432.0, 35432.75, 2003):
        sheet.append(["Awa", "autre", value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with translation.override("en"):
        preview = import_dry_run(SimpleUploadedFile("d.xlsx", buffer.getvalue()))
    assert [row.values["birth_year"] for row in preview.rows] == [
        1990,
        1988,
        1997,
        1997,
        1997,
        2003,
    ]


@pytest.mark.parametrize("typed", ["1850", "12/03/1850", "1850-03-12", "99999", "2999"])
def test_a_year_out_of_range_says_the_range_not_that_it_is_not_a_date(db, typed: str):
    row = _preview_of(f"Prénom;Groupe;Date de naissance\nAwa;autre;{typed}\n").rows[0]
    assert row.errors == [
        ("Date de naissance", f"Please give a year between 1900 and {THIS_YEAR}.")
    ]


@pytest.mark.parametrize("typed", ["31/02/1995", "1995-13-01", "hier", "12-03-95"])
def test_an_unreadable_date_says_how_to_write_it(db, typed: str):
    row = _preview_of(f"Prénom;Groupe;Date de naissance\nAwa;autre;{typed}\n").rows[0]
    assert row.errors == [
        (
            "Date de naissance",
            f"“{typed}” is not a date: write it as dd/mm/yyyy, e.g. 23/04/1998.",
        )
    ]


def test_particles_belong_to_the_family_name():
    assert split_full_name("Youssef El Amrani") == ("Youssef", "El Amrani")
    assert split_full_name("Hassan Ait Lahcen") == ("Hassan", "Ait Lahcen")
    assert split_full_name("Jean de la Fontaine") == ("Jean", "de la Fontaine")
    assert split_full_name("Mohamed Ould") == ("Mohamed", "Ould")
