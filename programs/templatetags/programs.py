"""`{% load programs %}`: figures shown to partners, with small cells hidden (see
programs/suppression.py)."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from belfaa.bidi import ltr_html
from programs.suppression import SECONDARY_MARK, Cell, Reason, Suppressed, small_cell_k

register = template.Library()


@register.filter
def cell(value: Cell) -> SafeString:
    """`{{ cell|cell }}`: a count in the page's number format, or the mark of a hidden
    one ("< 5", or "x" for one hidden so that a small one cannot be worked out), which
    screen readers read as words. Isolated left to right, so that "< 5" and a grouped
    "1 234" do not turn round on an Arabic page."""
    if not isinstance(value, Suppressed):
        return ltr_html(number_format(value, force_grouping=True))
    if value.reason is Reason.SMALL:
        mark = f"< {value.k}"
        words = gettext("fewer than %(k)d") % {"k": value.k}
    else:
        mark = SECONDARY_MARK
        words = gettext("hidden so that a small number cannot be worked out")
    return format_html(
        '<span class="suppressed" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        words,
        ltr_html(mark),
        words,
    )


@register.simple_tag
def suppression_note(k: int | None = None) -> str:
    """The note under a table with hidden cells, for its readers."""
    k = small_cell_k(k)
    return gettext(
        "Numbers from 1 to %(below)d are shown as “< %(k)d”, so that no one can be "
        "recognised; “x” marks a number hidden so that those cannot be worked out from "
        "the totals."
    ) % {"below": k - 1, "k": k}
