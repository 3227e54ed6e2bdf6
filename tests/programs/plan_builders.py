"""Small builders for the action plan's tests: real rows, validated as the admin does."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from events.models import Event, Registration
from programs.models import Axis, Commune, Indicator, IndicatorTarget, PlanPeriod, Programme
from tests.factories import EventFactory

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plan(start: int = 2021, end: int = 2027, *, commune: Commune | None = None) -> PlanPeriod:
    commune = commune or Commune.objects.create(name_fr="Belfaa", name_ar="بلفاع", name_en="Belfaa")
    return PlanPeriod.objects.create(
        commune=commune,
        title_fr="PAC",
        title_ar="برنامج عمل الجماعة",
        title_en="PAC",
        start_year=start,
        end_year=end,
        is_current=True,
    )


def programme(period: PlanPeriod, code: str = "mig-1", **fields: Any) -> Programme:
    axis = period.axes.first() or Axis.objects.create(
        period=period, title_fr="Migration", title_ar="الهجرة", title_en="Migration"
    )
    return Programme.objects.create(
        period=period,
        axis=axis,
        code=code,
        title_fr=f"Programme {code}",
        title_ar=f"برنامج {code}",
        title_en=f"Programme {code}",
        **fields,
    )


def indicator(prog: Programme, code: str = "ind", **fields: Any) -> Indicator:
    values: dict[str, Any] = {
        "unit": Indicator.Unit.PEOPLE,
        "source": Indicator.Source.MANUAL,
        "name_fr": f"Indicateur {code}",
        "name_ar": f"مؤشر {code}",
        "name_en": f"Indicator {code}",
        **fields,
    }
    made = Indicator(programme=prog, code=code, **values)
    made.full_clean()
    made.save()
    return made


def target(item: Indicator, year: int, value: int) -> IndicatorTarget:
    return IndicatorTarget.objects.create(indicator=item, year=year, value=Decimal(value))


def held(year: int, *, kind: str = Event.Kind.SPORT, month: int = 5, day: int = 10) -> Event:
    starts = datetime(year, month, day, 10, tzinfo=UTC)
    return EventFactory(kind=kind, starts_at=starts, ends_at=starts + timedelta(hours=2))


def came(event: Event, *, sex: str, group: str, birth_year: int | None = 2000) -> Registration:
    return Registration.objects.create(
        event=event,
        person_key=uuid.uuid4(),
        name="Test",
        sex=sex,
        group=group,
        birth_year=birth_year,
        language="fr",
        status=Registration.Status.CONFIRMED,
        consent_processing=True,
        attended_at=event.starts_at,
    )
