"""Names: no invisible character that makes one name look like another, and nothing that
reads as a link once the name is in a message sent from the commune's address; ordinary
names (with initials, dots, apostrophes, Arabic script) still pass. Every way a name gets
in is tried: the public sign-up, the door, the registry admin, the registration admin and
the import."""

from collections.abc import Callable

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from belfaa.models import User
from belfaa.validators import clean_person_name
from events.models import Registration
from participants.importing.checking import import_dry_run
from participants.models import Participant
from tests.events.test_admin import FormReader
from tests.factories import EventFactory

ClientFor = Callable[[User], Client]

INVISIBLE = {
    "zero-width space": "Ami\u200bna",
    "zero-width non-joiner": "Ami\u200cna",
    "zero-width joiner": "Ami\u200dna",
    "left-to-right mark": "Ami\u200ena",
    "right-to-left mark": "Ami\u200fna",
    "word joiner": "Ami\u2060na",
    "byte-order mark": "\ufeffAmina",
    "soft hyphen": "Ami\u00adna",
    "Arabic letter mark": "فاطمة\u061c",
    "combining grapheme joiner": "Ami\u034fna",
    "Hangul filler": "Amina\u3164",
    "variation selector": "Ami\ufe0fna",
    "tag character": "Amina\U000e0041",
    "unassigned code point": "Amina\U000e0080",
}
LINKS = {
    "http link": "Verify your account at http://evil.example now",
    "https link": "https://evil.example",
    "www": "see www.evil",
    "capital www": "WWW.EVIL.EXAMPLE",
    "bare host": "evil.example",
    "host in capitals": "Awa EVIL.EXAMPLE",
    "short link": "bit.ly/x",
    "one-letter host with a path": "t.co/abc",
    "one-letter host": "x.com",
    "one-letter host in capitals": "X.COM",
    "email address": "write to a@b.example",
    "full-width": "\uff57\uff57\uff57\uff0eevil",
    "ideographic dot": "evil\u3002example",
    "backslashes": "http:\\\\evil.example",
    "IPv4 address": "203.0.113.5",
    "Arabic host": "موقع.المغرب",
    "punycode ending": "evil.xn--p1ai",
    "words run together": "Mohamed.Ali",
    "initial and a capitalised ending": "X.Com",
    "initials and a capitalised ending": "A.B.Ma",
}
NAMES = [
    "St. John",
    "J. Keita",
    "J.Keita",
    "A.B. Diallo",
    "A.B.DIALLO",
    "A.BA",
    "Dr. Ahmed",
    "Keita Jr.",
    "J.R.R. Tolkien",
    "N'Diaye",
    "Jean-Pierre Ouédraogo",
    "فاطمة الزهراء",
    "م. العلوي",
    "عبد الرحمن بن علي",
    "ⵜⴰⵡⵉⵔⵉ",
]
LINK_MESSAGE = "A name cannot contain a web address or a link."
INVISIBLE_MESSAGE = "The name contains an invisible character"


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_name_with_an_invisible_character_is_refused(name: str) -> None:
    with pytest.raises(forms.ValidationError) as refused:
        clean_person_name(name)
    assert refused.value.code == "invisible"


@pytest.mark.parametrize("name", LINKS.values(), ids=LINKS.keys())
def test_a_name_that_reads_as_a_link_is_refused(name: str) -> None:
    with pytest.raises(forms.ValidationError) as refused:
        clean_person_name(name)
    assert refused.value.code == "link"


@pytest.mark.parametrize("name", NAMES)
def test_ordinary_names_with_dots_initials_and_other_scripts_pass(name: str) -> None:
    assert clean_person_name(name) == name


def test_the_messages_are_in_the_users_language() -> None:
    expected = {
        "ar": ("لا يمكن أن يتضمن الاسم", "يحتوي الاسم على حرف غير مرئي"),
        "fr": ("Un nom ne peut pas contenir", "Le nom contient un caractère invisible"),
        "en": (LINK_MESSAGE, INVISIBLE_MESSAGE),
    }
    for lang, (link, invisible) in expected.items():
        with translation.override(lang):
            for name, message in (("www.evil", link), ("Ami\u200bna", invisible)):
                with pytest.raises(forms.ValidationError) as refused:
                    clean_person_name(name)
                assert message in str(refused.value.messages[0])


# --- Every way in ----------------------------------------------------------------

SIGNUP = {
    "phone": "06 12 34 56 78",
    "birth_year": "2001",
    "sex": "female",
    "group": "newcomer",
    "language": "fr",
    "consent_processing": "on",
}
BAD = [("Verify at http://evil.example now", LINK_MESSAGE), ("Ami\u200bna", INVISIBLE_MESSAGE)]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "message"), BAD)
def test_the_public_sign_up_refuses_the_name_and_stores_nothing(
    client: Client, name: str, message: str
) -> None:
    event = EventFactory()
    response = client.post(f"/en/events/{event.slug}/", {**SIGNUP, "name": name})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert message in html
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_the_public_sign_up_answers_in_arabic_and_takes_an_initial(client: Client) -> None:
    event = EventFactory()
    response = client.post(f"/ar/events/{event.slug}/", {**SIGNUP, "name": "bit.ly/x"})
    assert response.status_code == 400
    assert "لا يمكن أن يتضمن الاسم عنوان موقع إلكتروني أو رابطا" in response.content.decode()
    response = client.post(f"/ar/events/{event.slug}/", {**SIGNUP, "name": "J. Keita"})
    assert response.status_code == 302
    assert Registration.objects.get().name == "J. Keita"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "message"), BAD)
def test_the_door_refuses_the_name_of_a_walk_in(
    officer: User, client_for: ClientFor, name: str, message: str
) -> None:
    event = EventFactory()
    door = f"/en/staff/events/{event.pk}/attendance/"
    response = client_for(officer).post(door, {**SIGNUP, "email": "", "name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert event.registrations.count() == 0
    ordinary = {**SIGNUP, "email": "", "name": "St. John"}
    assert client_for(officer).post(door, ordinary).status_code == 302
    assert event.registrations.get().name == "St. John"


RECORD = {
    "given_name": "Awa",
    "family_name": "Diop",
    "sex": "female",
    "birth_year": "2000",
    "group": "newcomer",
    "consents-TOTAL_FORMS": "0",
    "consents-INITIAL_FORMS": "0",
    "support_requests-TOTAL_FORMS": "0",
    "support_requests-INITIAL_FORMS": "0",
}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["given_name", "family_name"])
@pytest.mark.parametrize(("name", "message"), BAD)
def test_the_registry_admin_refuses_the_name_and_stores_nothing(
    officer: User, client_for: ClientFor, field: str, name: str, message: str
) -> None:
    add = "/en/admin/participants/participant/add/"
    response = client_for(officer).post(add, {**RECORD, field: name})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Participant.objects.count() == 0


@pytest.mark.django_db
def test_the_registry_admin_keeps_names_with_initials(officer: User, client_for: ClientFor) -> None:
    add = "/en/admin/participants/participant/add/"
    data = {**RECORD, "given_name": "J.", "family_name": "St. John"}
    assert client_for(officer).post(add, data).status_code == 302
    assert Participant.objects.get().family_name == "St. John"


@pytest.mark.django_db
def test_the_registration_admin_refuses_a_link_as_a_name(
    coordinator: User, client_for: ClientFor
) -> None:
    registration = Registration.objects.create(
        event=EventFactory(),
        name="Awa",
        phone="+212612345678",
        sex="female",
        group="newcomer",
        language="fr",
        consent_processing=True,
    )
    client = client_for(coordinator)
    url = f"/en/admin/events/registration/{registration.pk}/change/"
    reader = FormReader("registration_form")
    reader.feed(client.get(url).content.decode())
    data = {**reader.data, "name": ["Awa www.evil.example"], "_save": ["Save"]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert LINK_MESSAGE in response.content.decode()
    registration.refresh_from_db()
    assert registration.name == "Awa"


def csv_upload(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", ("\n".join(lines) + "\n").encode())


@pytest.mark.django_db
def test_the_import_dry_run_refuses_the_names_by_row_and_column() -> None:
    with translation.override("en"):
        preview = import_dry_run(
            csv_upload(
                "prénom;nom;groupe",
                "Verify at http://evil.example now;Diallo;autre",
                "Awa;Dio\u200bp;autre",
                "J.;St. John;autre",
                "فاطمة الزهراء;العلوي;autre",
            )
        )
    (link_column, link), (invisible_column, invisible) = (
        preview.rows[0].errors + preview.rows[1].errors
    )
    assert (link_column, invisible_column) == ("prénom", "nom")
    assert str(link).startswith(LINK_MESSAGE)
    assert str(invisible).startswith(INVISIBLE_MESSAGE)
    assert [row.errors for row in preview.rows[2:]] == [[], []]
    assert [row.values["family_name"] for row in preview.rows[2:]] == ["St. John", "العلوي"]


@pytest.mark.django_db
def test_the_import_page_shows_the_refusal_in_the_staff_members_language(
    officer: User, client_for: ClientFor
) -> None:
    client = client_for(officer)
    upload = csv_upload("prénom;groupe", "www.evil.example;autre", "Awa;autre")
    response = client.post("/fr/staff/participants/import/", {"file": upload})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Un nom ne peut pas contenir d&#x27;adresse web ni de lien." in html
    assert Participant.objects.count() == 0
