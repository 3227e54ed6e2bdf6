"""`{% load pac_report %}`: the figures and texts of a PAC report in HTML (the admin's
page, the HTML file and the PDF draw the same template)."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from belfaa.bidi import ltr_html
from programs.charts import number_text
from programs.report_data import Cell
from programs.suppression import Reason, Suppressed

register = template.Library()

# A year or a range of years ("2025", "2021-2027", "2021" en dash "2027"): isolated left to
# right, so that Arabic text around it does not turn "2021-2027" into "2027-2021";
# age bands too ("18-24", "60+").
YEARS = re.compile(r"\b\d{4}(?:\s?[-\N{EN DASH}]\s?\d{4})?\b|\b\d{1,3}(?:-\d{1,3}\b|\+)")


# A code alone in a cell (a programme's "mig-1-accueil"): left to right as a whole, so
# that a line broken at its hyphen does not show "-mig-1" in Arabic.
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@register.filter
def report_text(value: object) -> SafeString:
    """Text of the report, escaped, with its years and ranges isolated."""
    text = escape(str(value))
    isolated = YEARS.sub(lambda match: str(ltr_html(match.group(0))), text)
    return mark_safe(isolated)  # noqa: S308  (escaped above)


@register.filter
def report_cell(value: Cell) -> SafeString:
    """A figure in the report's one digit style, isolated; a hidden count as its mark
    with words for screen readers; text as text."""
    if isinstance(value, str):
        return ltr_html(value) if CODE.fullmatch(value) else report_text(value)
    if isinstance(value, Suppressed):
        words = (
            gettext("fewer than %(k)d") % {"k": value.k}
            if value.reason is Reason.SMALL
            else gettext("hidden so that a small number cannot be worked out")
        )
        return format_html(
            '<span class="suppressed" title="{}">{}</span>', words, ltr_html(number_text(value))
        )
    return ltr_html(number_text(value))
