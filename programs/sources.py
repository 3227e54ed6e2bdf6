"""Where an indicator's figures come from, and how that is checked.

An indicator is either backed by a measure of the registry (programs.measures), with
parameters the measure declares, or entered by hand (ManualResult). The breakdowns an
indicator may be disaggregated by, and the values each one takes, are the platform's
shared vocabulary: the same codes the registry and the sign-ups store (group, sex,
age band), so that a hand-entered result and a counted one line up in the report."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from belfaa.choices import Sex
from programs.measures import AGE_BANDS, UNKNOWN, Label, MeasureError, measure_get

# The disaggregations of the gender approach, in the order the report shows them.
DISAGGREGATIONS: dict[str, Label] = {
    "group": _("group"),
    "sex": _("sex"),
    "age_band": _("age band"),
}
# The values of each breakdown. The groups are those of the registry
# (participants.Participant.Group; tests/programs/test_indicators.py keeps them equal).
VALUES: dict[str, dict[str, Label]] = {
    "group": {
        "newcomer": _("newcomer"),
        "mre": _("Moroccan living abroad"),
        "local_youth": _("local youth"),
        "other": _("other"),
        UNKNOWN: _("unknown"),
    },
    "sex": {
        Sex.FEMALE.value: _("women"),
        Sex.MALE.value: _("men"),
        Sex.UNSPECIFIED.value: _("not said"),
        UNKNOWN: _("unknown"),
    },
    "age_band": {code: code for code, _low, _high in AGE_BANDS} | {UNKNOWN: _("unknown")},
}


def value_label(breakdown: str, value: object) -> str:
    """A breakdown value as the report shows it (a code it does not know as it is)."""
    return str(VALUES.get(breakdown, {}).get(str(value), value))


def disaggregation_errors(disaggregations: object) -> list[str]:
    if not isinstance(disaggregations, list) or not all(
        isinstance(name, str) for name in disaggregations
    ):
        return [gettext("The disaggregations must be a list of names.")]
    unknown = sorted(set(disaggregations) - set(DISAGGREGATIONS))
    if unknown:
        return [
            gettext("Unknown disaggregation: %(names)s. Choose among group, sex and age band.")
            % {"names": ", ".join(unknown)}
        ]
    return []


def measure_source_errors(
    code: str, params: object, disaggregations: list[str]
) -> dict[str, list[str]]:
    """What is wrong with a measure-backed source, by field (empty when it is right):
    the measure must be registered, take exactly these parameters with one of their
    choices, and support the disaggregations asked for."""
    try:
        measure = measure_get(code)
    except MeasureError:
        return {"measure_code": [gettext("No measure “%(code)s” exists.") % {"code": code}]}
    errors: dict[str, list[str]] = {}
    if not isinstance(params, Mapping) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in params.items()
    ):
        return {"measure_params": [gettext("The parameters must be names with text values.")]}
    declared = {parameter.name: parameter for parameter in measure.parameters}
    for name, value in params.items():
        parameter = declared.get(name)
        if parameter is None:
            taken = ", ".join(declared) or gettext("none")
            errors.setdefault("measure_params", []).append(
                gettext(
                    "The measure “%(code)s” takes no parameter “%(name)s” (it takes: %(taken)s)."
                )
                % {"code": code, "name": name, "taken": taken}
            )
            continue
        choices = [choice for choice, _label in parameter.choices]
        if value not in choices:
            errors.setdefault("measure_params", []).append(
                gettext("“%(value)s” is not a choice of “%(name)s” (choose among: %(choices)s).")
                % {"value": value, "name": name, "choices": ", ".join(choices)}
            )
    missing = sorted(set(disaggregations) - set(measure.breakdowns))
    if missing:
        errors["disaggregations"] = [
            gettext("The measure “%(code)s” cannot be broken down by %(names)s.")
            % {"code": code, "names": ", ".join(str(DISAGGREGATIONS[name]) for name in missing)}
        ]
    return errors


def breakdown_errors(
    breakdown: object, *, disaggregations: list[str], total: Decimal | None
) -> list[str]:
    """A hand-entered result's breakdown: `{"sex": {"female": 12, "male": 9}}`, only for
    the indicator's disaggregations, with known values, numbers from 0, and parts that
    add up to the result's value."""
    if breakdown in (None, {}):
        return []
    if not isinstance(breakdown, Mapping):
        return [gettext("The breakdown must map each disaggregation to its values.")]
    errors: list[str] = []
    for name, parts in breakdown.items():
        if name not in disaggregations:
            errors.append(
                gettext("This indicator is not broken down by “%(name)s”.") % {"name": name}
            )
            continue
        if not isinstance(parts, Mapping):
            errors.append(gettext("The values of “%(name)s” must be a mapping.") % {"name": name})
            continue
        unknown = sorted(set(map(str, parts)) - set(VALUES[name]))
        if unknown:
            errors.append(
                gettext("Unknown values for “%(name)s”: %(values)s (choose among: %(choices)s).")
                % {"name": name, "values": ", ".join(unknown), "choices": ", ".join(VALUES[name])}
            )
            continue
        try:
            numbers = [Decimal(str(value)) for value in parts.values()]
        except (InvalidOperation, ValueError):
            errors.append(gettext("The values of “%(name)s” must be numbers.") % {"name": name})
            continue
        if any(
            number < 0 or isinstance(value, bool)
            for number, value in zip(numbers, parts.values(), strict=True)
        ):
            errors.append(gettext("The values of “%(name)s” cannot be negative.") % {"name": name})
        elif total is not None and sum(numbers) != total:
            errors.append(
                gettext("The values of “%(name)s” add up to %(sum)s, not to the result %(total)s.")
                % {"name": name, "sum": sum(numbers), "total": total}
            )
    return errors
