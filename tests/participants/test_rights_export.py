"""The right of access: everything held on one person, as a page, a PDF and JSON, for
Coordinators only, each export logged once, in a fixed number of queries."""

import contextlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext

from belfaa.models import User
from events.models import Registration
from participants.models import (
    AccessLog,
    Consent,
    Need,
    Neighbourhood,
    Participant,
    SupportRequest,
)
from participants.rights.data import NOT_EXPORTED, PARTICIPANT_FIELDS, participant_export_data
from participants.rights.display import export_document
from participants.services import participant_create, participant_erase, participant_merge
from tests.factories import EventFactory, OrganisationFactory, UserFactory

# Without Pango this import fails: the tests that lay out a PDF carry the `pango` mark
# and skip (or fail under REQUIRE_SERVICES=1) saying why; the others still run.
with contextlib.suppress(OSError):
    from weasyprint.formatting_structure import boxes

# The PDF kind of the tests that render an export.
KINDS = ["html", pytest.param("pdf", marks=pytest.mark.pango), "json"]

pytestmark = pytest.mark.django_db

GIVEN_ON = date(2024, 3, 5)
WITHDRAWN_ON = date(2025, 1, 9)
OPENED_ON = date(2024, 4, 2)
CLOSED_ON = date(2024, 6, 30)
STARTS_AT = datetime(2024, 5, 18, 15, 0, tzinfo=UTC)
ATTENDED_AT = datetime(2024, 5, 18, 15, 20, tzinfo=UTC)
WARNED_AT = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

# Free text planted in the record, shown as typed in every language.
PLANTED_TEXT = (
    "Zeinabou-Planted",
    "Kouyaté-Planted",
    "Douar Planted-Tiqqi",
    "Wolof planted",
    "+212600000917",
    "zeinabou.planted@example.test",
    "RC-PLANTED-4471",
    "Planted note: prefers afternoon calls",
    "Jette Planted",
    "Clinique Planted",
    "Planted follow-up: appointment on Tuesday",
    "Zeinabou K. planted",
    "+212600000918",
    "registration.planted@example.test",
    "Hassan",
    "Planted-Auditor",
    "auditor.planted@example.test",
)


@pytest.fixture
def auditor(db: None) -> User:
    return UserFactory(
        first_name="Hassan", last_name="Planted-Auditor", email="auditor.planted@example.test"
    )


@pytest.fixture
def person(coordinator: User, auditor: User) -> Participant:
    participant = participant_create(
        given_name="Zeinabou-Planted",
        family_name="Kouyaté-Planted",
        sex=Participant.Sex.FEMALE,
        birth_year=1994,
        nationality="SN",
        group=Participant.Group.NEWCOMER,
        neighbourhood=Neighbourhood.objects.create(name="Douar Planted-Tiqqi"),
        country_of_residence="ES",
        arrival_year=2021,
        languages="Wolof planted",
        phone="+212600000917",
        email="zeinabou.planted@example.test",
        needs=[Need.LANGUAGE, Need.HEALTH],
        legal_status=Participant.LegalStatus.ASYLUM_SEEKER,
        id_document_type=Participant.DocumentType.REFUGEE_CARD,
        id_document_number="RC-PLANTED-4471",
        notes="Planted note: prefers afternoon calls",
    )
    Participant.objects.filter(pk=participant.pk).update(retention_warned_at=WARNED_AT)
    Consent.objects.create(
        participant=participant,
        purpose=Consent.Purpose.SHARING,
        partner=OrganisationFactory(name="Jette Planted"),
        given_at=GIVEN_ON,
        method=Consent.Method.WRITTEN,
        recorded_by=coordinator,
        withdrawn_at=WITHDRAWN_ON,
    )
    SupportRequest.objects.create(
        participant=participant,
        kind=SupportRequest.Kind.HEALTH,
        opened_on=OPENED_ON,
        status=SupportRequest.Status.REFERRED,
        referred_to=OrganisationFactory(name="Clinique Planted"),
        follow_up_notes="Planted follow-up: appointment on Tuesday",
        closed_on=CLOSED_ON,
        outcome=SupportRequest.Outcome.PARTLY,
    )
    Registration.objects.create(
        event=EventFactory(
            title_fr="Tournoi planté",
            title_ar="دوري الشباب المغروس",
            title_en="Planted tournament",
            starts_at=STARTS_AT,
        ),
        participant=participant,
        name="Zeinabou K. planted",
        phone="+212600000918",
        email="registration.planted@example.test",
        birth_year=1994,
        sex="female",
        group="newcomer",
        language="fr",
        consent_processing=True,
        consent_photos=True,
        status="confirmed",
        attended_at=ATTENDED_AT,
    )
    # Append-only (on PostgreSQL a trigger refuses UPDATE): its time stays the real one.
    AccessLog.objects.create(
        user=auditor,
        reference=participant.reference,
        fields=["legal_status", "notes"],
        purpose="admin_record",
    )
    participant.refresh_from_db()
    return participant


def _url(person: Participant, kind: str, lang: str = "") -> str:
    path = {
        "html": f"/fr/staff/participants/{person.pk}/access/",
        "pdf": f"/fr/staff/participants/{person.pk}/access.pdf",
        "json": f"/fr/staff/participants/{person.pk}/access.json",
    }[kind]
    return f"{path}?lang={lang}" if lang else path


def _json(client: Client, person: Participant) -> dict:
    response = client.get(_url(person, "json"))
    assert response.status_code == 200
    return json.loads(response.content)


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _to_millisecond(moment: datetime) -> datetime:
    # JSON times carry milliseconds (DjangoJSONEncoder), the database microseconds.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def test_json_holds_every_planted_value_as_codes_and_iso_dates(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    logged_at = AccessLog.objects.get().at
    client = client_for(coordinator)
    response = client.get(_url(person, "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{person.reference}.json"'
    data = json.loads(response.content)

    assert data["version"] == 1
    record = data["participant"]
    assert set(record) == set(PARTICIPANT_FIELDS)
    assert {
        key: value
        for key, value in record.items()
        if key not in {"created_at", "updated_at", "retention_warned_at"}
    } == {
        "reference": person.reference,
        "given_name": "Zeinabou-Planted",
        "family_name": "Kouyaté-Planted",
        "sex": "female",
        "birth_year": 1994,
        "nationality": "SN",
        "group": "newcomer",
        "neighbourhood": "Douar Planted-Tiqqi",
        "country_of_residence": "ES",
        "arrival_year": 2021,
        "languages": "Wolof planted",
        "phone": "+212600000917",
        "email": "zeinabou.planted@example.test",
        "needs": ["language", "health"],
        "legal_status": "asylum_seeker",
        "id_document_type": "refugee_card",
        "id_document_number": "RC-PLANTED-4471",
        "notes": "Planted note: prefers afternoon calls",
        "anonymised_at": None,
    }
    assert _moment(record["created_at"]) == _to_millisecond(person.created_at)
    assert _moment(record["retention_warned_at"]) == WARNED_AT

    assert data["consents"] == [
        {
            "purpose": "sharing",
            "partner": "Jette Planted",
            "given_at": "2024-03-05",
            "method": "written",
            "recorded_by": {"name": "Amina Test", "email": "coordinator@example.test"},
            "withdrawn_at": "2025-01-09",
        }
    ]
    assert data["support_requests"] == [
        {
            "kind": "health",
            "opened_on": "2024-04-02",
            "status": "referred",
            "referred_to": "Clinique Planted",
            "closed_on": "2024-06-30",
            "outcome": "partly",
            "follow_up_notes": "Planted follow-up: appointment on Tuesday",
        }
    ]
    [registration] = data["registrations"]
    # No ?lang: the page's language (/fr/) names the activity.
    assert registration["activity"]["title"] == "Tournoi planté"
    assert _moment(registration["activity"]["starts_at"]) == STARTS_AT
    assert registration["attended"] is True
    assert _moment(registration["attended_at"]) == ATTENDED_AT
    assert {
        key: registration[key]
        for key in (
            "name",
            "phone",
            "email",
            "birth_year",
            "sex",
            "group",
            "language",
            "consent_processing",
            "consent_contact",
            "consent_photos",
            "status",
            "walk_in",
            "cancelled_at",
        )
    } == {
        "name": "Zeinabou K. planted",
        "phone": "+212600000918",
        "email": "registration.planted@example.test",
        "birth_year": 1994,
        "sex": "female",
        "group": "newcomer",
        "language": "fr",
        "consent_processing": True,
        "consent_contact": False,
        "consent_photos": True,
        "status": "confirmed",
        "walk_in": False,
        "cancelled_at": None,
    }
    [logged] = data["access_log"]
    assert _moment(logged.pop("at")) == _to_millisecond(logged_at)
    assert logged == {
        "user": {"name": "Hassan Planted-Auditor", "email": "auditor.planted@example.test"},
        "reference": person.reference,
        "fields": ["legal_status", "notes"],
        "purpose": "admin_record",
        "purpose_label": "fiche dans l'administration",  # the code, and its label in French
    }


def test_every_stored_field_of_a_record_is_exported_or_deliberately_left_out() -> None:
    stored = {field.name for field in Participant._meta.concrete_fields}
    assert set(PARTICIPANT_FIELDS) | set(NOT_EXPORTED) == stored
    assert not set(PARTICIPANT_FIELDS) & set(NOT_EXPORTED)


def test_json_names_activities_in_the_language_asked_for(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    response = client_for(coordinator).get(_url(person, "json", "ar"))
    activity = json.loads(response.content)["registrations"][0]["activity"]
    assert activity["title"] == "دوري الشباب المغروس"


def _labels(lang: str) -> list[str]:
    """The translated labels the page must show instead of the codes."""
    with translation.override(lang):
        return [
            str(label)
            for label in (
                Participant.Sex.FEMALE.label,
                Participant.Group.NEWCOMER.label,
                Need.LANGUAGE.label,
                Need.HEALTH.label,
                Participant.LegalStatus.ASYLUM_SEEKER.label,
                Participant.DocumentType.REFUGEE_CARD.label,
                Consent.Purpose.SHARING.label,
                Consent.Method.WRITTEN.label,
                SupportRequest.Kind.HEALTH.label,
                SupportRequest.Status.REFERRED.label,
                SupportRequest.Outcome.PARTLY.label,
                Registration.Status.CONFIRMED.label,
                capfirst(Participant._meta.get_field("legal_status").verbose_name),
                capfirst(Participant._meta.get_field("notes").verbose_name),
                capfirst(SupportRequest._meta.get_field("follow_up_notes").verbose_name),
            )
        ]


# Words that are already in the catalogs (Django's, django-countries', ours), so the
# test shows real translations and not only that labels replace the codes.
KNOWN = {
    "ar": ("السنغال", "أسبانيا", "مؤكد", "5 مارس 2024", "دوري الشباب المغروس"),
    "fr": ("Sénégal", "Espagne", "confirmé·e", "5 mars 2024", "Tournoi planté"),
}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_page_shows_everything_with_translated_labels(
    client_for: Callable[[User], Client], coordinator: User, person: Participant, lang: str
) -> None:
    response = client_for(coordinator).get(_url(person, "html", lang))
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    html = response.content.decode()
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    for text in (*PLANTED_TEXT, person.reference, *_labels(lang), *KNOWN[lang]):
        assert escape(text) in html, text
    # Labels, not codes: none of the codes of the planted choices is on the page.
    for code in ("asylum_seeker", "refugee_card", "legal_status", "follow_up_notes"):
        assert code not in html


def test_page_style_is_allowed_by_its_nonce_and_scripts_stay_forbidden(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    response = client_for(coordinator).get(_url(person, "html"))
    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}
    nonce = next(v for v in directives["style-src"] if v.startswith("'nonce-"))[7:-1]
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy


@pytest.mark.pango
def test_pdf_is_an_a4_document_with_everything_in_the_persons_language(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    response = client_for(coordinator).get(_url(person, "pdf", "ar"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{person.reference}.pdf"'
    assert response.content.startswith(b"%PDF")

    with translation.override("ar"):
        document = export_document(participant_export_data(person))
    assert len(document.pages) >= 1
    width, height = document.pages[0].width, document.pages[0].height
    assert (round(width * 25.4 / 96), round(height * 25.4 / 96)) == (210, 297)
    root = document.pages[0]._page_box.descendants()
    assert next(box for box in root if box.element_tag == "html").element.get("dir") == "rtl"
    text = " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )
    # WeasyPrint breaks text into boxes by line and script: compare without spaces.
    squeezed = text.replace(" ", "")
    for expected in (*PLANTED_TEXT, *_labels("ar"), *KNOWN["ar"]):
        assert expected.replace(" ", "") in squeezed, expected


@pytest.mark.parametrize("kind", KINDS)
def test_each_export_writes_exactly_one_access_log_row(
    client_for: Callable[[User], Client],
    coordinator: User,
    person: Participant,
    kind: str,
) -> None:
    before = set(AccessLog.objects.values_list("pk", flat=True))
    response = client_for(coordinator).get(_url(person, kind))
    assert response.status_code == 200
    [row] = AccessLog.objects.exclude(pk__in=before)
    assert row.user == coordinator
    assert row.reference == person.reference
    assert (
        row.purpose
        == {
            "html": AccessLog.Purpose.EXPORT_PAGE,
            "pdf": AccessLog.Purpose.EXPORT_PDF,
            "json": AccessLog.Purpose.EXPORT_JSON,
        }[kind]
    )
    assert {"legal_status", "id_document_number", "notes", "follow_up_notes"} <= set(row.fields)


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_is_cached(
    client_for: Callable[[User], Client], coordinator: User, person: Participant, kind: str
) -> None:
    response = client_for(coordinator).get(_url(person, kind))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["officer", "viewer", "partner_md", "outsider"])
@pytest.mark.parametrize("kind", ["html", "pdf", "json"])
def test_only_coordinators_may_export(
    client_for: Callable[[User], Client],
    person: Participant,
    request: pytest.FixtureRequest,
    role: str,
    kind: str,
) -> None:
    before = AccessLog.objects.count()
    response = client_for(request.getfixturevalue(role)).get(_url(person, kind))
    assert response.status_code == 403
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize("kind", ["html", "pdf", "json"])
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, person: Participant, kind: str
) -> None:
    before = AccessLog.objects.count()
    response = client.get(_url(person, kind))
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/?next=")
    assert AccessLog.objects.count() == before


def test_a_missing_record_is_not_found_and_not_logged(
    client_for: Callable[[User], Client], coordinator: User
) -> None:
    response = client_for(coordinator).get("/fr/staff/participants/999999/access.json")
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0


@pytest.mark.pango
def test_an_erased_record_can_still_be_exported_and_shows_what_remains(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    participant_erase(participant_id=person.pk)
    client = client_for(coordinator)
    data = _json(client, person)
    assert data["participant"]["given_name"] == ""
    assert data["participant"]["notes"] == ""
    assert data["participant"]["nationality"] == "SN"
    assert data["participant"]["anonymised_at"] is not None
    assert data["support_requests"][0]["follow_up_notes"] == ""
    assert data["registrations"][0]["name"] == ""
    assert len(data["consents"]) == 1

    html = client.get(_url(person, "html", "fr")).content.decode()
    assert person.reference in html
    assert '<p class="notice">' in html  # it says the record was anonymised, and when
    assert "Zeinabou-Planted" not in html
    assert "Planted note" not in html
    assert "Sénégal" in html
    assert client.get(_url(person, "pdf")).content.startswith(b"%PDF")


def _add(person: Participant, coordinator: User, count: int) -> None:
    for number in range(count):
        Consent.objects.create(
            participant=person,
            purpose=Consent.Purpose.PHOTOS,
            given_at=date(2024, 1, 1 + number),
            method=Consent.Method.ORAL,
            recorded_by=UserFactory(),
        )
        SupportRequest.objects.create(
            participant=person,
            kind=SupportRequest.Kind.LANGUAGE,
            opened_on=date(2024, 2, 1 + number),
            referred_to=OrganisationFactory(),
            follow_up_notes=f"note {number}",
        )
        Registration.objects.create(
            event=EventFactory(),
            participant=person,
            name=f"Someone {number}",
            sex="female",
            group="newcomer",
            language="fr",
            status="confirmed",
        )
        AccessLog.objects.create(
            user=UserFactory(), reference=person.reference, fields=["notes"], purpose="admin_record"
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("kind", KINDS)
def test_the_number_of_queries_does_not_grow_with_the_record(
    client_for: Callable[[User], Client], coordinator: User, kind: str
) -> None:
    small = participant_create(given_name="Small", sex="male", group="mre")
    large = participant_create(given_name="Large", sex="male", group="mre")
    _add(small, coordinator, 1)
    _add(large, coordinator, 10)
    client = client_for(coordinator)
    _queries(client, _url(small, kind))  # the session and permissions, cached after
    assert _queries(client, _url(large, kind)) == _queries(client, _url(small, kind))


# --- History ------------------------------------------------------------------------


@pytest.fixture
def editor(db: None) -> User:
    return UserFactory(first_name="Karim", last_name="Editor-Planted", is_staff=True)


@pytest.fixture
def changed(person: Participant, editor: User) -> Participant:
    """The planted record after a member of staff changed it, its consent and its request."""
    person.legal_status = Participant.LegalStatus.REFUGEE
    person.notes = "Planted note, second version"
    person._history_user = editor
    person.save()
    consent = person.consents.get()
    consent.method = Consent.Method.ORAL
    consent._history_user = editor
    consent.save()
    request = person.support_requests.get()
    request.status = SupportRequest.Status.RESOLVED
    request._history_user = editor
    request.save()
    return person


def _entries(data: dict, record: str, kind: str) -> list[dict]:
    return [e for e in data["history"] if e["record"] == record and e["type"] == kind]


def test_json_holds_the_history_field_by_field_with_who_changed_it(
    client_for: Callable[[User], Client], coordinator: User, changed: Participant
) -> None:
    data = _json(client_for(coordinator), changed)
    [created] = _entries(data, "participant", "created")
    assert created["reference"] == changed.reference
    assert created["by"] is None  # created outside any request: no one recorded
    assert {"field": "legal_status", "old": None, "new": "asylum_seeker"} in created["changes"]
    assert {"field": "neighbourhood", "old": None, "new": "Douar Planted-Tiqqi"} in created[
        "changes"
    ]
    [edit] = _entries(data, "participant", "changed")
    assert edit["by"] == {"name": "Karim Editor-Planted", "email": edit["by"]["email"]}
    assert {"field": "legal_status", "old": "asylum_seeker", "new": "refugee"} in edit["changes"]
    assert {
        "field": "notes",
        "old": "Planted note: prefers afternoon calls",
        "new": "Planted note, second version",
    } in edit["changes"]
    assert "given_name" not in {change["field"] for change in edit["changes"]}
    [consent] = _entries(data, "consent", "changed")
    assert consent["about"] == "sharing"
    assert consent["changes"] == [{"field": "method", "old": "written", "new": "oral"}]
    [request] = _entries(data, "support_request", "changed")
    assert (request["about"], request["changes"]) == (
        "health",
        [{"field": "status", "old": "referred", "new": "resolved"}],
    )
    moments = [_moment(entry["at"]) for entry in data["history"]]
    assert moments == sorted(moments)


def _history_words(lang: str) -> list[str]:
    """What the history must say in the person's language (translated, not English)."""
    with translation.override(lang):
        words = [
            str(text)
            for text in (
                gettext("History of the record"),
                translation.pgettext("history entry", "changed"),
                gettext("Before"),
                gettext("After"),
                Participant.LegalStatus.ASYLUM_SEEKER.label,
                Participant.LegalStatus.REFUGEE.label,
                Consent.Method.WRITTEN.label,
                Consent.Method.ORAL.label,
                SupportRequest.Status.RESOLVED.label,
                capfirst(Participant._meta.get_field("legal_status").verbose_name),
                capfirst(Consent._meta.get_field("method").verbose_name),
                AccessLog.Purpose.ADMIN_RECORD.label,
            )
        ]
    with translation.override("en"):
        english = [gettext("History of the record"), gettext("Before"), gettext("After")]
    assert not set(english) & set(words[:4]), f"untranslated history words in {lang}"
    return [*words, "Karim Editor-Planted", "Planted note, second version"]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_page_shows_the_history_in_the_persons_language(
    client_for: Callable[[User], Client], coordinator: User, changed: Participant, lang: str
) -> None:
    html = client_for(coordinator).get(_url(changed, "html", lang)).content.decode()
    history = html[html.index('<section id="history"') :].split("</section>")[0]
    for text in _history_words(lang):
        assert escape(text) in history or escape(text) in html, text
    # Staff made the change: the person's name is never given as who changed it.
    by = [line for line in history.splitlines() if 'class="entry"' in line and "·" not in line]
    assert by and all("Zeinabou" not in line for line in by)


@pytest.mark.pango
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_pdf_shows_the_history_in_the_persons_language(
    coordinator: User, changed: Participant, lang: str
) -> None:
    with translation.override(lang):
        document = export_document(participant_export_data(changed))
    text = "".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    ).replace(" ", "")
    for expected in _history_words(lang):
        assert expected.replace(" ", "") in text, expected


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_json_gives_each_access_purpose_as_code_and_translated_label(
    client_for: Callable[[User], Client], coordinator: User, person: Participant, lang: str
) -> None:
    response = client_for(coordinator).get(_url(person, "json", lang))
    [logged] = json.loads(response.content)["access_log"]
    with translation.override(lang):
        label = str(AccessLog.Purpose.ADMIN_RECORD.label)
    assert label != "record in the admin"
    assert (logged["purpose"], logged["purpose_label"]) == ("admin_record", label)


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_who_looked_at_this_record_reads_in_every_language(
    client_for: Callable[[User], Client], coordinator: User, person: Participant, lang: str
) -> None:
    html = (
        client_for(coordinator)
        .get(f"/{lang}/admin/participants/participant/{person.pk}/change/")
        .content.decode()
    )
    with translation.override(lang):
        assert escape(str(AccessLog.Purpose.ADMIN_RECORD.label)) in html
        assert "admin_record" not in html


def test_history_reasons_read_in_the_persons_language(
    client_for: Callable[[User], Client], coordinator: User, person: Participant
) -> None:
    other = participant_create(given_name="Zeinabou-Planted", sex="female", group="newcomer")
    participant_merge(keep_id=person.pk, merge_id=other.pk, by=coordinator)
    html = client_for(coordinator).get(_url(person, "html", "fr")).content.decode()
    with translation.override("fr"):
        reason = gettext("merged with record %(reference)s") % {"reference": other.reference}
    assert reason != f"merged with record {other.reference}"
    assert escape(reason) in html
    assert other.reference in html  # the record merged into this one is listed
