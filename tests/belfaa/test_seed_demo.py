"""`seed_demo` tells the Belfaa story, twice without duplicates, never in production."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from belfaa.models import User
from events.models import Event
from partners.models import Agreement, Organisation
from programs.models import PlanPeriod

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (User, Event, Organisation, Agreement, PlanPeriod))


@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent(capsys) -> None:
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[0] == 6  # three staff roles, two partners and one invited partner
    out = capsys.readouterr().out
    assert "coordinator@belfaa.demo" in out
    assert "partner@md.demo" in out


def test_seed_demo_refuses_when_debug_is_off() -> None:
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0, 0)


def test_the_demo_tells_the_belfaa_story(client: Client) -> None:
    call_command("seed_demo", force=True)
    md = Organisation.objects.get(acronym="M&D")
    assert md.city == "Agadir"
    baom = Agreement.objects.for_organisation(md).get()
    assert (baom.signed_on.year, baom.signed_on.month) == (2022, 6)
    assert Organisation.objects.get(name_fr="Commune de Jette").name_ar == "جماعة جيت"
    period = PlanPeriod.objects.get()
    assert (period.start_year, period.end_year) == (2021, 2027)
    for event in Event.objects.all():
        assert event.title_ar and event.title_fr and event.title_en
    assert "دوري الصداقة لكرة القدم" in client.get("/ar/").content.decode()
    assert "Friendship football tournament" in client.get("/en/").content.decode()


def test_demo_accounts_carry_their_roles() -> None:
    call_command("seed_demo", force=True)
    officer = User.objects.get(email="officer@belfaa.demo")
    assert officer.is_staff
    assert list(officer.groups.values_list("name", flat=True)) == ["Officer"]
    partner = User.objects.get(email="partner@md.demo")
    assert not partner.is_staff
    assert partner.partner_membership.organisation.acronym == "M&D"


def test_a_demo_that_people_used_survives_the_next_run() -> None:
    from participants import services as registry
    from participants.models import Consent, Participant

    call_command("seed_demo", force=True)
    event = Event.objects.get(slug="tournoi-football-amitie")
    event.title_fr = "Tournoi renommé par l'équipe"
    event.capacity = 99
    event.save()
    first, second, third = Participant.objects.order_by("pk")[:3]
    first.given_name = "Prénom corrigé"
    first.save()
    consent = Consent.objects.filter(participant=second, purpose="contact").get()
    registry.consent_withdraw(consent_id=consent.pk)
    Consent.objects.create(
        participant=second,
        purpose="contact",
        given_at=consent.given_at,
        method="oral",
        recorded_by=consent.recorded_by,
    )
    registry.participant_merge(
        keep_id=first.pk, merge_id=third.pk, by=User.objects.get(email="coordinator@belfaa.demo")
    )
    registry.participant_erase(participant_id=second.pk)
    officer = User.objects.get(email="officer@belfaa.demo")
    officer.set_password("changed-by-officer-2026")
    officer.save()
    before = counts(), Participant.objects.count(), Consent.objects.count()

    call_command("seed_demo", force=True)

    assert (counts(), Participant.objects.count(), Consent.objects.count()) == before
    event.refresh_from_db()
    assert (event.title_fr, event.capacity) == ("Tournoi renommé par l'équipe", 99)
    first.refresh_from_db()
    assert first.given_name == "Prénom corrigé"
    second.refresh_from_db()
    assert second.anonymised_at is not None and second.given_name == ""
    assert User.objects.get(email="officer@belfaa.demo").check_password("changed-by-officer-2026")
