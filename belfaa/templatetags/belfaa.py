from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

register = template.Library()


def path_in(language: str, path: str, current: str) -> str:
    """The same page in another language. Our URL paths are not translated, so this
    swaps the prefix; unlike resolving the URL, it also works on a 404 page."""
    prefix = f"/{current}/"
    if path.startswith(prefix):
        return f"/{language}/{path[len(prefix) :]}"
    return f"/{language}/"


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
                "url": path_in(code, path, current),
                "bidi": info["bidi"],
                "current": code == current,
            }
        )
    return {"languages": languages}
