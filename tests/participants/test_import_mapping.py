"""The column-mapping step of the import: when the header's names are not enough, the
staff member says which column is which, the file is checked again without a new
upload, and the choice is remembered for the next file with the same headers. Crafted
choices are refused with a message; nothing is written before the confirmation."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from belfaa.models import User
from participants.importing.mapping import header_signature
from participants.importing.writing import preview_get
from participants.models import ImportMapping, Participant

pytestmark = pytest.mark.django_db

# "Public" is no group header the import knows; "Statut" is a sensitive column.
UNKNOWN_GROUP = "Prénom;Nom;Public;Statut\nAwa;Sow;migrante;réfugiée\nYoussef;Alami;MRE;\n"
SAME_HEADERS = "prénom ; NOM;public;statut\nFanta;Keita;jeune;\n"
OTHER_HEADERS = "Prénom;Nom;Bénéficiaires\nFanta;Keita;jeune\n"
# Column indexes of UNKNOWN_GROUP.
GIVEN, FAMILY, PUBLIC, STATUS = range(4)


def url(name: str, token: str = "", lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"participants:{name}", kwargs={"token": token} if token else {})


def upload(client: Client, text: str, lang: str = "en") -> HttpResponse:
    data = SimpleUploadedFile("people.csv", text.encode())
    return client.post(url("import", lang=lang), {"file": data})


def token_in(response: HttpResponse) -> str:
    assert response.status_code == 302, response.content[:2000]
    parts = response["Location"].rstrip("/").split("/")
    return parts[-2] if parts[-1] == "columns" else parts[-1]


def choose(client: Client, token: str, **columns: str) -> HttpResponse:
    return client.post(url("import_columns", token), columns)


def good_choice() -> dict[str, str]:
    return {
        f"column-{GIVEN}": "given_name",
        f"column-{FAMILY}": "family_name",
        f"column-{PUBLIC}": "group",
    }


def test_a_missing_required_column_leads_to_the_choice_of_columns_prefilled(
    client_for: Callable[[User], Client], officer: User
) -> None:
    client = client_for(officer)
    response = upload(client, UNKNOWN_GROUP)
    token = token_in(response)
    assert response["Location"] == url("import_columns", token)
    # The preview itself sends back to the choice: there is nothing to confirm yet.
    assert client.get(url("import_preview", token))["Location"] == url("import_columns", token)
    page = client.get(url("import_columns", token)).content.decode()
    assert "Recognised columns: Prénom, Nom. Missing required columns: Group." in page
    assert '<option value="given_name" selected>' in page
    assert '<option value="family_name" selected>' in page
    assert "migrante" in page, "a sample value of the column is shown"
    # The sensitive column: named as left out, no select, and none of its values shown.
    assert f'name="column-{STATUS}"' not in page
    assert "Left out: sensitive data" in page
    assert "réfugiée" not in page
    assert Participant.objects.count() == 0


def test_the_choice_fixes_the_file_and_is_remembered_for_the_same_headers_only(
    client_for: Callable[[User], Client], officer: User, coordinator: User
) -> None:
    client = client_for(officer)
    token = token_in(upload(client, UNKNOWN_GROUP))
    response = choose(client, token, **good_choice())
    new_token = token_in(response)
    assert response["Location"] == url("import_preview", new_token)
    assert preview_get(token=token, user=officer) is None, "the old preview is gone"
    preview = preview_get(token=new_token, user=officer)
    assert preview is not None
    assert [row.values["group"] for row in preview.rows] == ["newcomer", "mre"]
    assert preview.with_errors == 0
    assert preview.sensitive_columns == ["Statut"]
    assert Participant.objects.count() == 0, "nothing is written before the confirmation"
    saved = ImportMapping.objects.get()
    assert saved.saved_by == officer
    assert saved.columns == {"0": "given_name", "1": "family_name", "2": "group"}

    # The same headers, typed differently, by someone else: the choice is used.
    other = client_for(coordinator)
    response = upload(other, SAME_HEADERS)
    again = token_in(response)
    assert response["Location"] == url("import_preview", again)
    page = other.get(url("import_preview", again)).content.decode()
    assert "Column choices remembered from an earlier import were used." in page
    assert "Change which column is which" in page
    remembered = preview_get(token=again, user=coordinator)
    assert remembered is not None
    assert remembered.remembered
    assert [row.values["group"] for row in remembered.rows] == ["local_youth"]

    # Other headers: not used.
    response = upload(other, OTHER_HEADERS)
    assert response["Location"].endswith("/columns/")
    assert header_signature(["Prénom", "Nom", "Bénéficiaires"]) != saved.signature

    # And confirming the remembered preview writes its rows.
    other.post(url("import_preview", again), {"mode": "all"})
    assert list(Participant.objects.values_list("given_name", "group")) == [
        ("Fanta", "local_youth")
    ]


@pytest.mark.parametrize(
    ("crafted", "message"),
    [
        (
            {f"column-{PUBLIC}": "legal_status"},
            "“legal_status” is not one of the fields offered.",
        ),
        (
            {f"column-{GIVEN}": "group", f"column-{PUBLIC}": "group"},
            "Two columns are marked as “Group”: “Prénom” and “Public”. "
            "Choose it for one column only.",
        ),
        ({"column-9": "group"}, "The form names a column the file does not have."),
        ({"column-x": "group"}, "The form names a column the file does not have."),
        (
            {f"column-{STATUS}": "languages"},
            "“Statut” holds sensitive data: it cannot be imported.",
        ),
        (
            {f"column-{GIVEN}": "", f"column-{PUBLIC}": ""},
            "Recognised columns: Nom. Missing required columns: Given name, Group.",
        ),
    ],
)
def test_crafted_choices_are_refused_with_a_message_and_change_nothing(
    client_for: Callable[[User], Client], officer: User, crafted: dict[str, str], message: str
) -> None:
    client = client_for(officer)
    token = token_in(upload(client, UNKNOWN_GROUP))
    before = preview_get(token=token, user=officer)
    response = choose(client, token, **{**good_choice(), **crafted})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportMapping.objects.count() == 0
    assert preview_get(token=token, user=officer) == before
    assert Participant.objects.count() == 0


def test_a_sensitive_column_is_never_read_even_when_a_remembered_choice_names_it(
    client_for: Callable[[User], Client], officer: User
) -> None:
    headers = ["Prénom", "Nom", "Public", "Statut"]
    ImportMapping.objects.create(
        signature=header_signature(headers),
        headers=headers,
        columns={"0": "given_name", "2": "group", "3": "languages"},
    )
    client = client_for(officer)
    token = token_in(upload(client, UNKNOWN_GROUP))
    preview = preview_get(token=token, user=officer)
    assert preview is not None and preview.sheet is not None
    assert [row.values["languages"] for row in preview.rows] == ["", ""]
    assert preview.sensitive_columns == ["Statut"]
    assert all(row[STATUS] is None for _number, row in preview.sheet.rows), "not even kept"


def test_another_users_token_is_worthless(
    client_for: Callable[[User], Client], officer: User, coordinator: User
) -> None:
    token = token_in(upload(client_for(officer), UNKNOWN_GROUP))
    other = client_for(coordinator)
    assert other.get(url("import_columns", token))["Location"] == url("import")
    assert choose(other, token, **good_choice())["Location"] == url("import")
    assert ImportMapping.objects.count() == 0
    assert preview_get(token=token, user=officer) is not None


def test_viewers_are_refused_and_anonymous_visitors_sent_to_sign_in(
    client_for: Callable[[User], Client], officer: User, viewer: User
) -> None:
    token = token_in(upload(client_for(officer), UNKNOWN_GROUP))
    viewing = client_for(viewer)
    assert viewing.get(url("import_columns", token)).status_code == 403
    assert choose(viewing, token, **good_choice()).status_code == 403
    with translation.override("en"):
        login = reverse("account_login")
    anonymous = Client()
    assert anonymous.get(url("import_columns", token))["Location"].startswith(login)
    assert choose(anonymous, token, **good_choice())["Location"].startswith(login)
    assert ImportMapping.objects.count() == 0


def test_the_choice_of_columns_is_offered_when_a_column_was_left_unrecognised(
    client_for: Callable[[User], Client], officer: User
) -> None:
    client = client_for(officer)
    response = upload(client, "Prénom;Groupe;Quartier\nAwa;autre;Centre\n")
    token = token_in(response)
    page = client.get(response["Location"]).content.decode()
    assert "These columns were not recognised and were left out: Quartier." in page
    assert f'href="{url("import_columns", token)}"' in page
    # Choosing again keeps the rows as they were, with the new column read.
    chosen = {"column-0": "given_name", "column-1": "group", "column-2": "languages"}
    token = token_in(choose(client, token, **chosen))
    preview = preview_get(token=token, user=officer)
    assert preview is not None
    assert preview.rows[0].values["languages"] == "Centre"
    assert preview.ignored_columns == []


def test_coordinators_may_delete_a_remembered_choice_and_officers_only_read_it(
    client_for: Callable[[User], Client], officer: User, coordinator: User
) -> None:
    saved = ImportMapping.objects.create(
        signature=header_signature(["Prénom", "Public"]),
        headers=["Prénom", "Public"],
        columns={"0": "given_name", "1": "group"},
        saved_by=officer,
    )
    with translation.override("en"):
        listing = reverse("admin:participants_importmapping_changelist")
        delete = reverse("admin:participants_importmapping_delete", args=[saved.pk])
    reading = client_for(officer)
    assert "Prénom, Public" in reading.get(listing).content.decode()
    assert reading.post(delete, {"post": "yes"}).status_code == 403
    assert ImportMapping.objects.count() == 1
    client_for(coordinator).post(delete, {"post": "yes"})
    assert ImportMapping.objects.count() == 0


def test_two_columns_for_one_field_are_chosen_between_never_guessed(
    client_for: Callable[[User], Client], officer: User
) -> None:
    client = client_for(officer)
    token = token_in(upload(client, "Prénom;Type;Catégorie\nAwa;Atelier;MRE\n"))
    # The preview sends back to the choice: neither column is read until it is made.
    assert client.get(url("import_preview", token))["Location"] == url("import_columns", token)
    page = client.get(url("import_columns", token)).content.decode()
    assert "Say which column to read:" in page
    assert "Two columns of the file mean the same thing: “Type” and “Catégorie”." in page
    response = choose(client, token, **{"column-0": "given_name", "column-2": "group"})
    preview = preview_get(token=token_in(response), user=officer)
    assert preview is not None
    assert [row.values["group"] for row in preview.rows] == ["mre"]
    assert preview.ignored_columns == ["Type"]
    assert Participant.objects.count() == 0
