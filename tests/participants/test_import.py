"""Import of people from a spreadsheet: the dry run reads messy files as staff keep
them and writes nothing; the confirmation writes all or only the valid rows, in one
transaction; bad files are turned away with a message in the staff member's language."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from belfaa.models import User
from participants.importing.checking import import_dry_run
from participants.importing.duplicates import similar_names
from participants.importing.preview import CREATE, DUPLICATE, ERROR, ImportPreview
from participants.importing.reading import ImportFileError
from participants.importing.writing import (
    ImportExpired,
    ImportHasErrors,
    import_confirm,
    preview_get,
    preview_keep,
)
from participants.models import Participant
from participants.services import participant_create, possible_duplicates

pytestmark = pytest.mark.django_db

DATA = Path(__file__).with_name("data")
MESSY_CSV = (DATA / "messy.csv").read_bytes()
THIS_YEAR = timezone.localdate().year
PHONE_INVALID = "This phone number is not valid, e.g. 06 12 34 56 78 or +212 6 12 34 56 78."
YEAR_RANGE = f"Please give a year between 1900 and {THIS_YEAR}."
NOT_XLSX = (
    "This file is not a real Excel workbook (.xlsx). Save it again from your "
    "spreadsheet program as .xlsx or .csv."
)


def upload_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def dry_run(name: str, content: bytes | None = None) -> ImportPreview:
    if content is None:
        content = (DATA / name).read_bytes()
    with translation.override("en"):
        return import_dry_run(upload_file(name, content))


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def by_number(preview: ImportPreview) -> dict[int, object]:
    return {row.number: row for row in preview.rows}


def url(lang: str = "en", token: str = "") -> str:
    with translation.override(lang):
        if token:
            return reverse("participants:import_preview", kwargs={"token": token})
        return reverse("participants:import")


def upload(client: Client, name: str, content: bytes, lang: str = "en") -> HttpResponse:
    return client.post(url(lang), {"file": SimpleUploadedFile(name, content)})


def token_of(response: HttpResponse) -> str:
    assert response.status_code == 302, response.content[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


# --- The committed messy files ------------------------------------------------


def test_messy_csv_gives_the_expected_rows_statuses_and_values() -> None:
    preview = dry_run("messy.csv")
    rows = by_number(preview)
    # Rows 3 and 10 are blank (one only spaces): skipped, and the numbering is the sheet's.
    assert sorted(rows) == [2, 4, 5, 6, 7, 8, 9, 11, 12]
    assert {n: r.status for n, r in rows.items()} == {
        2: CREATE,
        4: CREATE,
        5: CREATE,
        6: ERROR,
        7: ERROR,
        8: DUPLICATE,
        9: ERROR,
        11: CREATE,
        12: ERROR,
    }
    assert rows[2].values == {
        "given_name": "Aminata",
        "family_name": "Diallo",
        "sex": "female",
        "birth_year": 1998,
        "nationality": "SN",
        "group": "newcomer",
        "phone": "+212612345678",
        "email": "aminata.diallo@example.test",
        "languages": "wolof, français",
        "needs": ["language", "health"],
    }
    # Arabic names as typed, stray spaces gone.
    assert rows[4].values["given_name"] == "فاطمة الزهراء"
    assert rows[4].values["family_name"] == "العلوي"
    assert rows[4].values["group"] == "mre"
    assert rows[4].values["needs"] == ["investment"]
    assert rows[5].values["family_name"] == "El Amrani"
    assert rows[5].values["birth_year"] == 2005
    assert rows[5].values["group"] == "local_youth"
    assert rows[5].values["needs"] == ["employment", "housing"]
    assert rows[11].values["sex"] == "unspecified"
    assert rows[11].values["birth_year"] is None
    assert rows[11].values["nationality"] == "GN"
    assert rows[11].values["group"] == "other"
    # Row 8 is row 2 again (same phone written otherwise, same name and year).
    assert rows[8].duplicate_rows == [2]
    assert rows[8].duplicates == []
    # The columns that are not read are named; their values go nowhere.
    assert preview.sensitive_columns == ["Statut juridique", "Observations"]
    assert preview.ignored_columns == []
    assert all("legal_status" not in row.values for row in preview.rows)
    assert (preview.to_create, preview.duplicates, preview.with_errors) == (4, 1, 4)


def test_messy_csv_names_every_error_by_row_and_column() -> None:
    rows = by_number(dry_run("messy.csv"))
    assert rows[6].errors == [
        ("Prénom", "A given name is needed."),
        ("Téléphone", PHONE_INVALID),
        ("Email", "Enter a valid email address."),
        (
            "Date de naissance",
            "“31/02/1990” is not a date: write it as dd/mm/yyyy, e.g. 23/04/1998.",
        ),
    ]
    assert rows[7].errors == [
        ("Prénom", "The name contains characters that are not allowed."),
        (
            "Sexe",
            "Unknown sex “X”: write F or M (femme/homme, أنثى/ذكر), or leave the cell empty.",
        ),
        (
            "Nationalité",
            "Unknown country “Wakanda”: write its name (in French, English or Arabic) "
            "or its ISO code, e.g. SN.",
        ),
        ("Groupe", "Unknown group “martien”: write newcomer, MRE, local youth or other."),
        ("Date de naissance", YEAR_RANGE),
    ]
    assert rows[9].errors == [
        ("NOM", "The name is too long: at most 150 characters."),
        ("Date de naissance", YEAR_RANGE),
    ]
    assert rows[12].errors == [
        (
            "Besoins",
            "Unknown need “magie”. The needs are: language classes, health, education, "
            "employment and training, legal and administrative, housing, social assistance, "
            "investment project.",
        )
    ]


def test_messy_xlsx_gives_the_expected_rows_and_errors() -> None:
    preview = dry_run("messy.xlsx")
    rows = by_number(preview)
    # Row 1 is a title above the header (row 2); row 4 is blank; the second sheet is not read.
    assert sorted(rows) == [3, 5, 6, 7, 8]
    assert rows[3].status == CREATE
    assert rows[3].values == {
        "given_name": "خديجة",
        "family_name": "بنعلي",
        "sex": "female",
        "birth_year": 1999,
        "nationality": "MA",
        "group": "mre",
        # Typed into a number cell, it lost its leading 0.
        "phone": "+212612345680",
        "email": "",
        "languages": "العربية، الفرنسية",
        "needs": ["housing", "health"],
    }
    assert rows[5].status == CREATE
    assert rows[5].values["birth_year"] == 1987
    assert rows[5].values["nationality"] == "CI"
    assert rows[5].values["phone"] == "+33612345678"
    assert rows[5].values["email"] == "mamadou@example.test"
    assert rows[5].values["needs"] == ["legal"]
    assert rows[6].status == ERROR
    assert rows[6].errors == [
        ("سنة الازدياد", YEAR_RANGE),
        ("الفئة", "A group is needed: newcomer, MRE, local youth or other."),
        ("الهاتف", PHONE_INVALID),
    ]
    # A date cell in the year column keeps its year.
    assert rows[7].status == CREATE
    assert rows[7].values["birth_year"] == 2003
    assert rows[7].values["group"] == "local_youth"
    assert rows[7].values["nationality"] == "MA"
    assert rows[8].errors == [
        ("الاسم الشخصي", "The name contains characters that are not allowed.")
    ]
    assert preview.sensitive_columns == ["الوضعية القانونية"]


# --- Cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+212612345678"),
        ("0612345678", "+212612345678"),
        ("+212612345678", "+212612345678"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("00212612345678", "+212612345678"),
        ("00212 6 12 34 56 78", "+212612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
    ],
)
def test_phones_are_stored_in_e164_from_every_notation(typed: str, stored: str) -> None:
    preview = dry_run("p.csv", csv_bytes("prénom,groupe,téléphone", f"Awa,autre,{typed}"))
    assert preview.rows[0].values["phone"] == stored


@pytest.mark.parametrize(
    ("typed", "year"),
    [("23/04/1998", 1998), ("1/2/2001", 2001), ("05.07.1980", 1980), ("", None)],
)
def test_dates_of_birth_keep_only_the_year(typed: str, year: int | None) -> None:
    preview = dry_run("d.csv", csv_bytes("prénom;groupe;date de naissance", f"Awa;autre;{typed}"))
    assert preview.rows[0].errors == []
    assert preview.rows[0].values["birth_year"] == year


def test_a_year_and_a_date_that_disagree_are_an_error() -> None:
    preview = dry_run(
        "d.csv",
        csv_bytes(
            "prénom;groupe;année de naissance;date de naissance", "Awa;autre;1999;01/01/1998"
        ),
    )
    assert preview.rows[0].errors == [
        ("date de naissance", "The birth year and the date of birth do not agree.")
    ]


@pytest.mark.parametrize("year", ["1899", str(THIS_YEAR + 1), "98", "nineteen"])
def test_birth_years_before_1900_in_the_future_or_unreadable_are_errors(year: str) -> None:
    preview = dry_run("y.csv", csv_bytes("Given name,Group,Birth year", f"Awa,other,{year}"))
    assert preview.rows[0].status == ERROR
    assert preview.rows[0].errors[0][0] == "Birth year"


def test_headers_in_english_and_arabic_with_any_case_and_spacing_are_read() -> None:
    preview = dry_run(
        "h.csv",
        csv_bytes(
            "  GIVEN   NAME ,Family_Name,الجنس,الجنسية,GROUP,E-mail,languages spoken,NEEDS",
            "Awa,Camara,ذكر,Guinea,Local youth,AWA@Example.TEST,Soussou,Housing;health",
        ),
    )
    row = preview.rows[0]
    assert row.errors == []
    assert row.values["sex"] == "male"
    assert row.values["nationality"] == "GN"
    assert row.values["group"] == "local_youth"
    assert row.values["email"] == "awa@example.test"
    # The delimiter is the comma here, so "Housing;health" is one cell with two needs.
    assert row.values["needs"] == ["housing", "health"]


def test_a_csv_saved_by_an_arabic_windows_excel_is_read() -> None:
    content = csv_bytes("الاسم الشخصي;الفئة;الجنسية", "محمد;أخرى;السنغال", encoding="cp1256")
    preview = dry_run("w.csv", content)
    assert preview.rows[0].values["given_name"] == "محمد"
    assert preview.rows[0].values["group"] == "other"
    assert preview.rows[0].values["nationality"] == "SN"


def test_a_name_with_a_control_character_is_refused() -> None:
    preview = dry_run("c.csv", csv_bytes("prénom;groupe", "Ami\x07na;autre"))
    assert preview.rows[0].errors == [
        ("prénom", "The name contains characters that are not allowed.")
    ]


def test_duplicates_of_existing_records_are_found_by_phone_email_and_name() -> None:
    by_phone = participant_create(
        given_name="Someone", sex="female", group="newcomer", phone="+212612345678"
    )
    by_email = participant_create(
        given_name="Other", sex="male", group="mre", email="Awa@Example.test"
    )
    by_name = participant_create(
        given_name="Moussa", family_name="Traore", sex="male", group="other", birth_year=1990
    )
    preview = dry_run(
        "dup.csv",
        csv_bytes(
            "prénom;nom;groupe;téléphone;email;année de naissance",
            "Fatou;Sow;autre;06 12 34 56 78;;",
            "Awa;Camara;autre;;awa@example.test;",
            "Moussa;Traore;autre;;;1990",
            "Nobody;Else;autre;;;1990",
        ),
    )
    rows = by_number(preview)
    assert rows[2].duplicates == [(by_phone.pk, by_phone.reference)]
    assert rows[3].duplicates == [(by_email.pk, by_email.reference)]
    assert rows[4].duplicates == [(by_name.pk, by_name.reference)]
    assert rows[5].status == CREATE


# --- Files turned away -----------------------------------------------------------


def test_a_text_file_renamed_xlsx_is_refused() -> None:
    with pytest.raises(ImportFileError) as caught:
        dry_run("people.xlsx", csv_bytes("prénom;groupe", "Awa;autre"))
    assert caught.value.message == NOT_XLSX


def test_a_zip_without_a_workbook_inside_is_refused() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ImportFileError) as caught:
        dry_run("people.xlsx", buffer.getvalue())
    assert caught.value.message == NOT_XLSX


def test_a_broken_workbook_is_refused() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    with pytest.raises(ImportFileError) as caught:
        dry_run("people.xlsx", buffer.getvalue())
    assert caught.value.message == (
        "This Excel workbook could not be read. Save it again from your spreadsheet "
        "program as .xlsx or .csv."
    )


def test_cell_values_quoted_in_messages_are_short_and_cannot_reorder_the_page() -> None:
    preview = dry_run(
        "q.csv", csv_bytes("prénom;groupe;nationalité", f"Awa;\u202egroup;{'X' * 100}")
    )
    messages = [message for _column, message in preview.rows[0].errors]
    assert messages[0].startswith("Unknown country “XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX…”")
    assert messages[1].startswith("Unknown group “\ufffdgroup”")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.pdf", b"%PDF-1.4", "Please choose an .xlsx or .csv file."),
        ("people.xls", b"\xd0\xcf\x11\xe0", "Please choose an .xlsx or .csv file."),
        (
            "people.csv",
            "prénom\x00groupe".encode("utf-16"),
            "This file is not a CSV text file. Save it again from your spreadsheet program "
            "as “CSV UTF-8” or as .xlsx.",
        ),
        (
            "people.csv",
            b"PK\x03\x04rest of a zip",
            "This file is not a CSV text file. Save it again from your spreadsheet program "
            "as “CSV UTF-8” or as .xlsx.",
        ),
        (
            "people.csv",
            csv_bytes("name;city", "Awa;Belfaa"),
            "No header row was found: the first row must name the columns, for example "
            "given name, family name, sex, group.",
        ),
        (
            "people.csv",
            csv_bytes("prénom;nom", "Awa;Sow"),
            "Recognised columns: prénom, nom. Missing required columns: Group.",
        ),
        (
            "people.csv",
            csv_bytes("prénom;given name;groupe", "Awa;Awa;autre"),
            "Two columns of the file mean the same thing: “prénom” and “given name”.",
        ),
        ("people.csv", csv_bytes("prénom;groupe", ";"), "The file has no rows to import."),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(
    name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ImportFileError) as caught:
        dry_run(name, content)
    assert caught.value.message == message


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings: object) -> None:
    settings.PARTICIPANTS_IMPORT_MAX_BYTES = 100
    content = csv_bytes("prénom;groupe", *["Awa;autre"] * 20)
    with pytest.raises(ImportFileError) as caught:
        dry_run("big.csv", content)
    assert caught.value.message == "This file is too large: at most 100\xa0bytes."


# --- Writing ---------------------------------------------------------------------


def test_the_dry_run_writes_nothing() -> None:
    participant_create(given_name="Already", sex="female", group="other", phone="+212612345678")
    before = Participant.objects.count()
    dry_run("messy.csv")
    dry_run("messy.xlsx")
    assert Participant.objects.count() == before


def confirm(
    preview: ImportPreview, by: User, mode: str, *, create_duplicates: bool = False
) -> list[Participant]:
    token = preview_keep(preview=preview, user=by)
    return import_confirm(token=token, mode=mode, create_duplicates=create_duplicates, by=by)


def test_all_or_nothing_writes_nothing_when_a_row_has_an_error(officer: User) -> None:
    preview = dry_run("messy.csv")
    token = preview_keep(preview=preview, user=officer)
    with translation.override("fr"), pytest.raises(ImportHasErrors) as refused:
        import_confirm(token=token, mode="all", by=officer)
    assert refused.value.message.startswith("Certaines lignes ont des erreurs, donc rien n")
    assert Participant.objects.count() == 0
    # The preview is kept: the same person may still choose the valid rows.
    assert preview_get(token=token, user=officer) is not None
    assert len(import_confirm(token=token, mode="valid", by=officer)) == 4


def test_a_preview_is_confirmed_once_and_only_by_who_uploaded_it(
    officer: User, coordinator: User
) -> None:
    preview = dry_run("ok.csv", csv_bytes("prénom;groupe", "Awa;autre"))
    token = preview_keep(preview=preview, user=officer)
    with pytest.raises(ImportExpired):
        import_confirm(token=token, mode="all", by=coordinator)
    assert len(import_confirm(token=token, mode="all", by=officer)) == 1
    with pytest.raises(ImportExpired):
        import_confirm(token=token, mode="all", by=officer)
    assert preview_get(token=token, user=officer) is None
    assert Participant.objects.count() == 1


def test_only_valid_rows_writes_exactly_the_valid_rows_and_skips_duplicates(
    officer: User,
) -> None:
    preview = dry_run("messy.csv")
    created = confirm(preview, officer, "valid")
    assert sorted(p.given_name for p in created) == sorted(
        ["Aminata", "فاطمة الزهراء", "Youssef", "Awa"]
    )
    assert Participant.objects.count() == 4
    stored = Participant.objects.get(given_name="Aminata")
    assert stored.phone == "+212612345678"
    assert stored.needs == ["language", "health"]
    assert stored.legal_status == ""
    assert stored.notes == ""
    assert stored.reference.startswith("BLF-")
    assert Participant.objects.get(given_name="فاطمة الزهراء").family_name == "العلوي"


def test_imported_records_start_their_history_with_who_imported_them(officer: User) -> None:
    preview = dry_run("ok.csv", csv_bytes("prénom;groupe;sexe", "Awa;autre;F", "Omar;MRE;M"))
    created = confirm(preview, officer, "all")
    references = {p.reference for p in created}
    assert len(references) == 2 and all(r.startswith("BLF-") for r in references)
    history = Participant.history.filter(id__in=[p.pk for p in created])
    assert {h.reference for h in history} == references
    assert {(h.history_type, h.history_change_reason, h.history_user) for h in history} == {
        ("+", "import", officer)
    }


def test_duplicates_are_created_only_when_asked(officer: User) -> None:
    preview = dry_run("messy.csv")
    created = confirm(preview, officer, "valid", create_duplicates=True)
    assert len(created) == 5
    assert Participant.objects.filter(given_name="Aminata").count() == 2


def test_an_all_or_nothing_import_of_a_clean_file_writes_every_row(officer: User) -> None:
    preview = dry_run("ok.csv", csv_bytes("prénom;groupe;sexe", "Awa;autre;F", "Omar;MRE;M"))
    created = confirm(preview, officer, "all")
    assert [p.given_name for p in created] == ["Awa", "Omar"]
    assert Participant.objects.count() == 2


# --- The pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("officer", 200),
        ("viewer", 403),
        ("partner_md", 403),
        ("outsider", 403),
    ],
)
def test_only_staff_who_may_add_participants_see_the_import(
    request: pytest.FixtureRequest, client_for: Callable[[User], Client], role: str, status: int
) -> None:
    client = client_for(request.getfixturevalue(role))
    assert client.get(url()).status_code == status
    response = upload(client, "messy.csv", MESSY_CSV)
    assert response.status_code == (302 if status == 200 else status)
    assert client.get(url(token="whatever")).status_code == (302 if status == 200 else status)


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    client = Client()
    with translation.override("en"):
        login = reverse("account_login")
    for response in (
        client.get(url()),
        upload(client, "messy.csv", MESSY_CSV),
        client.post(url(token="whatever"), {"mode": "valid"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert Participant.objects.count() == 0


def test_posts_need_the_csrf_token(client_for: Callable[[User], Client], coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert upload(client, "messy.csv", MESSY_CSV).status_code == 403
    token = token_of(upload(client_for(coordinator), "messy.csv", MESSY_CSV))
    assert client.post(url(token=token), {"mode": "valid"}).status_code == 403
    assert Participant.objects.count() == 0


def test_upload_preview_and_import_of_the_valid_rows(
    client_for: Callable[[User], Client], officer: User
) -> None:
    client = client_for(officer)
    token = token_of(upload(client, "messy.csv", MESSY_CSV))
    assert Participant.objects.count() == 0
    page = client.get(url(token=token))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="row-6"' in html
    assert "A given name is needed." in html
    assert "Looks like row 2 of this file." in html
    assert "فاطمة الزهراء" in html
    # Sensitive cells are not shown, only the column names that were left out.
    assert "réfugiée" not in html
    assert "arrivée en mars" not in html
    assert "Statut juridique" in html
    assert 'id="row-3"' not in html

    response = client.post(url(token=token), {"mode": "valid"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 people were created from messy.csv." in html
    assert "4 rows with errors were left out." in html
    assert "1 possible duplicate was left out." in html
    assert Participant.objects.count() == 4
    for participant in Participant.objects.all():
        link = reverse("admin:participants_participant_change", args=[participant.pk])
        assert f'href="{link}"' in html
        assert participant.reference in html
    # The same confirmation again (a reload, a double click) writes nothing more.
    again = client.post(url(token=token), {"mode": "valid"})
    assert again.status_code == 302
    assert Participant.objects.count() == 4


def test_all_or_nothing_with_errors_writes_nothing_and_keeps_the_preview(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    client = client_for(coordinator)
    token = token_of(upload(client, "messy.csv", MESSY_CSV))
    response = client.post(url(token=token), {"mode": "all"})
    assert response.status_code == 400
    assert "Some rows have errors, so nothing was imported." in response.content.decode()
    assert Participant.objects.count() == 0
    # They may still choose the valid rows, duplicates included this time.
    response = client.post(url(token=token), {"mode": "valid", "create_duplicates": "on"})
    assert response.status_code == 200
    assert Participant.objects.count() == 5


def test_cancel_forgets_the_preview(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    client = client_for(coordinator)
    token = token_of(upload(client, "messy.csv", MESSY_CSV))
    assert client.post(url(token=token), {"cancel": "1"}).status_code == 302
    assert client.post(url(token=token), {"mode": "valid"}).status_code == 302
    assert Participant.objects.count() == 0


def test_a_preview_belongs_to_the_person_who_uploaded_it(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    token = token_of(upload(client_for(coordinator), "messy.csv", MESSY_CSV))
    other = client_for(officer)
    assert other.get(url(token=token)).status_code == 302
    assert other.post(url(token=token), {"mode": "valid"}).status_code == 302
    assert Participant.objects.count() == 0


def test_rows_are_never_taken_from_the_browser(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    client = client_for(coordinator)
    token = token_of(upload(client, "ok.csv", csv_bytes("prénom;groupe", "Awa;autre")))
    client.post(
        url(token=token),
        {"mode": "all", "given_name": "Injected", "legal_status": "undocumented"},
    )
    assert list(Participant.objects.values_list("given_name", "legal_status")) == [("Awa", "")]


def test_a_fake_xlsx_is_refused_and_nothing_is_kept(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    response = upload(client_for(coordinator), "people.xlsx", b"prenom;groupe\nAwa;autre\n")
    assert response.status_code == 400
    assert NOT_XLSX in response.content.decode()
    assert Participant.objects.count() == 0


def test_an_oversized_upload_is_refused_before_it_is_read(
    client_for: Callable[[User], Client], coordinator: User, settings: object
) -> None:
    settings.PARTICIPANTS_IMPORT_MAX_BYTES = 1000
    client = client_for(coordinator)
    # Small enough to pass the request-length guard: the file's own size is checked.
    response = upload(client, "big.csv", csv_bytes("prénom;groupe", *["Awa;autre"] * 200))
    assert response.status_code == 400
    assert "This file is too large: at most 1000\xa0bytes." in response.content.decode()
    # Far larger: turned away from the request's declared length, body unread.
    response = upload(client, "huge.csv", b"x" * 100_000)
    assert response.status_code == 413
    assert "This file is too large" in response.content.decode()
    assert Participant.objects.count() == 0


def test_errors_are_given_in_the_staff_members_language(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    client = client_for(coordinator)
    content = csv_bytes("prénom;groupe;téléphone;email", "Awa;autre;0612;awa@")
    token = token_of(upload(client, "fr.csv", content, lang="fr"))
    html = client.get(url("fr", token=token)).content.decode()
    assert "Ce numéro de téléphone n&#x27;est pas valide" in html
    assert "Saisissez une adresse de courriel valide." in html


def test_the_upload_page_says_sensitive_fields_cannot_be_imported(
    client_for: Callable[[User], Client], officer: User
) -> None:
    html = client_for(officer).get(url()).content.decode()
    assert "Legal status, identity documents and notes cannot be imported" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_fresh_workbook_made_here_is_read_like_the_committed_one() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Prénom", "Groupe", "Téléphone"])
    sheet.append(["Awa", "autre", "+212612345678"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = dry_run("fresh.xlsx", buffer.getvalue())
    assert preview.rows[0].number == 2
    assert preview.rows[0].values["phone"] == "+212612345678"


def test_the_preview_shows_every_row_page_by_page_and_each_status_alone(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    lines = ["prénom;groupe"] + [f"P{n};{'autre' if n % 100 else 'martien'}" for n in range(600)]
    token = token_of(upload(client_for(coordinator), "long.csv", csv_bytes(*lines)))
    client = client_for(coordinator)
    first = client.get(url(token=token)).content.decode()
    assert first.count('<tr id="row-') == 250
    assert "page 1 of 3" in first
    last = client.get(url(token=token) + "?page=3").content.decode()
    assert last.count('<tr id="row-') == 100
    assert 'id="row-601"' in last
    errors = client.get(url(token=token) + "?status=error").content.decode()
    # Rows 2, 102, … 502 hold P0, P100, … P500 with an unknown group.
    assert errors.count('<tr id="row-') == 6
    assert 'id="row-502"' in errors
    assert errors.count("Unknown group “martien”") == 6


def test_the_file_wide_name_check_finds_what_possible_duplicates_finds() -> None:
    for given, family, year in [
        ("Aminata", "Diallo", 1998),
        ("Aminata", "Dialo", 1998),
        ("Amina", "Diallo", 1998),
        ("فاطمة", "العلوي", 2001),
        ("Moussa", "Traoré", 1990),
    ]:
        participant_create(
            given_name=given, family_name=family, birth_year=year, sex="female", group="other"
        )
    preview = dry_run(
        "n.csv",
        csv_bytes(
            "prénom;nom;groupe;année de naissance",
            "Aminata;Diallo;autre;1998",
            "AMINATA;DIALLO;autre;1998",
            "Aminata;Diallo;autre;1999",
            "فاطمة;العلوي;autre;2001",
            "فاطمه;العلوى;autre;2001",
            "Moussa;Traore;autre;1990",
            "Someone;Else;autre;1998",
        ),
    )
    found = similar_names(preview.rows)
    for row in preview.rows:
        expected = possible_duplicates(
            given_name=row.values["given_name"],
            family_name=row.values["family_name"],
            birth_year=row.values["birth_year"],
        )
        assert sorted(found.get(row.number, [])) == sorted((p.pk, p.reference) for p in expected), (
            row.number
        )
    assert found[2] and not found.get(8)
