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
