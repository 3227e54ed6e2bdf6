from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from belfaa.bidi import ltr_html, ltr_text
from belfaa.dashboard import panels_for
from belfaa.landing import Landing, landing_for

register = template.Library()


@cache
def _languages() -> tuple[tuple[str, str, str], ...]:
    """(code, name in that language, direction) for each configured language."""
    return tuple(
        (
            code,
            info["name_local"][:1].upper() + info["name_local"][1:],
            "rtl" if info["bidi"] else "ltr",
        )
        for code, info in ((code, get_language_info(code)) for code, _ in settings.LANGUAGES)
    )


def path_in(language: str, path: str, current: str) -> str:
    """The same page in another language. Our URL paths are not translated, so this
    swaps the prefix; unlike resolving the URL, it also works on a 404 page."""
    prefix = f"/{current}/"
    if path.startswith(prefix):
        return f"/{language}/{path[len(prefix) :]}"
    return f"/{language}/"


@cache
def _switcher(current: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """The switcher's fixed parts in the current language: all but each link's href."""
    head = format_html('<nav class="language-switcher" aria-label="{}"><ul>', gettext("Language"))
    items = tuple(
        (
            code,
            format_html(
                '" lang="{}" dir="{}" hreflang="{}"{}>{}</a></li>',
                code,
                direction,
                code,
                mark_safe(' aria-current="true"') if code == current else "",
                name,
            ),
        )
        for code, name, direction in _languages()
    )
    return head, items, "</ul></nav>"


@register.simple_tag(takes_context=True)
def language_switcher(context: dict[str, Any]) -> SafeString:
    """Plain links to this same page in each language: no JavaScript, no form.
    Built in Python rather than a template, and all but the links' paths once per
    language and process: it is on every page."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    head, items, tail = _switcher(current)
    links = "".join(
        f'<li><a href="{escape(path_in(code, path, current))}{rest}' for code, rest in items
    )
    return mark_safe(f"{head}{links}{tail}")  # noqa: S308 (escaped above)


@register.simple_tag
def static_url(path: str) -> str:
    """`{% static %}` remembered per process: the manifest of hashed names is read once
    at start and collectstatic needs a restart anyway, so the URL cannot change."""
    return _static_url(path)


@cache
def _static_url(path: str) -> str:
    return static(path)


@register.filter(needs_autoescape=True)
def ltr(value: object, autoescape: bool = True) -> str:
    """`{{ phone|ltr }}`: the value isolated left to right (see belfaa/bidi.py).

    In an HTML template, `<bdi dir="ltr">` around the escaped value; where autoescaping
    is off (our plain-text e-mails), Unicode isolates, since tags would show as text.
    Apply it to the formatted text (`{{ moment|time:"H:i"|ltr }}`), not to a date."""
    return ltr_html(value) if autoescape else ltr_text(value)


@register.inclusion_tag("admin/dashboard.html", takes_context=True)
def dashboard(context: dict[str, Any]) -> dict[str, Any]:
    """The day's work on the admin index (see belfaa/dashboard.py)."""
    return {"panels": panels_for(context["request"])}


@register.simple_tag(takes_context=True)
def landing(context: dict[str, Any]) -> Landing | None:
    """The signed-in account's own home (belfaa/landing.py: the partner portal for a
    partner account), for the site header; None for everyone else."""
    request = context.get("request")
    return landing_for(request.user) if request is not None else None
