"""Error pages in the language of the URL, right to left in Arabic. The 500 page is
built without the database, the cache or the session: any of them may be what failed."""

from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory, override_settings

from belfaa.errors import path_language, server_error
from belfaa.models import User
from tests.private_redis import free_port

# A Redis nobody listens on, with Django's own backend, which raises when touched.
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }
}


@pytest.mark.parametrize(
    ("path", "lang", "direction", "text"),
    [
        ("/ar/events/some-activity/", "ar", "rtl", "حدث خلل من جهتنا"),
        ("/fr/events/", "fr", "ltr", "Un problème est survenu de notre côté"),
        ("/en/admin/events/event/", "en", "ltr", "Something went wrong on our side"),
    ],
)
def test_the_server_error_page_speaks_the_language_of_the_url_without_db_or_cache(
    path: str, lang: str, direction: str, text: str
) -> None:
    # No django_db mark: a query here would fail the test; so would a cache call.
    request = RequestFactory().get(path)
    with override_settings(CACHES=UNREACHABLE_CACHE):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert text in page
    assert f'href="/{lang}/"' in page
    assert "Server Error (500)" not in page


def test_paths_without_a_language_get_the_default_language() -> None:
    assert path_language("/healthz") == "ar"
    assert path_language("/de/events/") == "ar"
    assert path_language("/fr") == "fr"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title"), [("ar", "الولوج غير مسموح"), ("fr", "Accès refusé"), ("en", "Access denied")]
)
def test_access_denied_is_a_translated_page(
    client_for: Callable[[User], Client], viewer: User, lang: str, title: str
) -> None:
    client = client_for(viewer)
    response = client.get(f"/{lang}/staff/participants/import/")
    assert response.status_code == 403
    assert title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title"), [("ar", "طلب غير صالح"), ("fr", "Requête incorrecte"), ("en", "Bad request")]
)
def test_a_bad_request_is_a_translated_page(client: Client, lang: str, title: str) -> None:
    # A host not in ALLOWED_HOSTS is turned away with 400.
    response = client.get(f"/{lang}/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert title in response.content.decode()
    assert f'lang="{lang}"' in response.content.decode()


class _NoPango:
    """Makes `import weasyprint` fail the way it does on a server without Pango: the
    import raises OSError when cffi cannot open the system library."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': no such file")


@pytest.mark.django_db
def test_without_pango_a_pdf_page_says_so_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from belfaa import pdf
    from tests.factories import EventFactory

    for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    pdf._fetcher_class.cache_clear()
    event = EventFactory(slug="football")
    try:
        response = Client(raise_request_exception=False).get(f"/ar/events/{event.slug}/poster.pdf")
    finally:
        pdf._fetcher_class.cache_clear()
    page = response.content.decode()
    assert response.status_code == 503
    assert 'dir="rtl"' in page
    assert "Pango" in page and "لا يمكن لهذا الخادم" in page
    # The rest of the site is unaffected.
    assert Client().get(f"/ar/events/{event.slug}/").status_code == 200
