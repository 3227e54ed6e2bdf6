"""The measures registry in `programs`: the apps above it register what they count."""

from datetime import date

import pytest

from programs.measures import (
    BREAKDOWNS,
    Measure,
    MeasureError,
    Unit,
    measure_get,
    measure_register,
    measures,
)


def test_every_app_that_holds_facts_registered_its_measures() -> None:
    codes = {measure.code for measure in measures()}
    assert {
        "events.activities_held",
        "events.registrations",
        "events.attendees",
        "participants.registered",
        "participants.accompanied",
        "participants.support_requests",
    } <= codes
    for measure in measures():
        assert str(measure.label)
        assert set(measure.breakdowns) <= set(BREAKDOWNS)


def test_a_code_is_registered_once() -> None:
    twin = Measure(code="events.attendees", label="x", unit=Unit.PEOPLE, counter=lambda **_: 0)
    with pytest.raises(MeasureError, match="registered already"):
        measure_register(twin)


def test_unknown_measures_units_and_breakdowns_are_refused() -> None:
    with pytest.raises(MeasureError, match="no measure"):
        measure_get("events.karaoke")
    with pytest.raises(MeasureError, match="unknown unit"):
        measure_register(Measure(code="x.y", label="x", unit="goats", counter=lambda **_: 0))
    with pytest.raises(MeasureError, match="unknown breakdowns"):
        measure_register(
            Measure(
                code="x.z", label="x", unit=Unit.PEOPLE, counter=lambda **_: 0, breakdowns=("eye",)
            )
        )


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(MeasureError, match="ends before"):
        measure_get("events.attendees").value(start=date(2026, 2, 1), end=date(2026, 1, 1))
