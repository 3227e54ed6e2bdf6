from datetime import timedelta
from typing import TYPE_CHECKING

import factory
from django.utils import timezone

from belfaa.models import User
from events.models import Event
from partners.models import Organisation

if TYPE_CHECKING:
    from participants.models import Participant

PASSWORD = "a-long-test-password-2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = "Amina"
    last_name = "Test"
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NGO
    country = "MA"


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    title_fr = factory.Sequence(lambda n: f"Activité {n}")
    title_ar = factory.Sequence(lambda n: f"نشاط {n}")
    title_en = factory.Sequence(lambda n: f"Activity {n}")
    slug = factory.Sequence(lambda n: f"activity-{n}")
    kind = Event.Kind.MEETING
    status = Event.Status.PUBLISHED
    venue = "Maison des jeunes"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 30


def make_participant(**fields: object) -> "Participant":
    """A registry record through the service, with planted values in every field."""
    from participants.models import Participant
    from participants.services import participant_create

    values: dict[str, object] = {
        "given_name": "Aminata",
        "family_name": "Plantedname",
        "sex": Participant.Sex.FEMALE,
        "birth_year": 1998,
        "nationality": "SN",
        "group": Participant.Group.NEWCOMER,
        "phone": "+212612000111",
        "email": "planted.contact@example.test",
        "languages": "Wolof",
        "needs": ["legal"],
        "legal_status": Participant.LegalStatus.UNDOCUMENTED,
        "id_document_type": Participant.DocumentType.PASSPORT,
        "id_document_number": "PLANTEDDOC123",
        "notes": "PLANTEDNOTE about the person",
        **fields,
    }
    return participant_create(**values)
