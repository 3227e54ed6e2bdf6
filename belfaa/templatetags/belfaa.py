from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.inclusion_tag("language_switcher.html", takes_context=True)
def language_switcher(context: dict[str, Any]) -> dict[str, Any]:
    """Plain links to this same page in each language: no JavaScript, no form."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(path, code),
                "bidi": info["bidi"],
                "current": code == current,
            }
        )
    return {"languages": languages}
