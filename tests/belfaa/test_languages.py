"""Every page carries its language prefix, lang and dir; / follows the browser."""

import re
from datetime import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "target"),
    [("fr-FR,fr;q=0.9", "/fr/"), ("en-GB,en;q=0.8", "/en/"), ("ar-MA,ar;q=0.9", "/ar/")],
)
def test_root_redirects_by_accept_language(client: Client, accept: str, target: str) -> None:
    response = client.get("/", headers={"accept-language": accept})
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_root_defaults_to_arabic_for_an_unknown_language(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "de-DE"})
    assert response.headers["Location"] == "/ar/"


@pytest.mark.parametrize("path", ["/de/", "/xx/admin/", "/ar/nowhere/"])
def test_unknown_prefixes_and_pages_are_404_not_500(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "lang", "direction"),
    [
        ("/ar/", "ar", "rtl"),
        ("/fr/", "fr", "ltr"),
        ("/en/", "en", "ltr"),
        ("/ar/accounts/login/", "ar", "rtl"),
        ("/fr/accounts/login/", "fr", "ltr"),
        ("/ar/accounts/password/reset/", "ar", "rtl"),
        ("/ar/nowhere/", "ar", "rtl"),
    ],
)
def test_pages_declare_their_language_and_direction(
    client: Client, path: str, lang: str, direction: str
) -> None:
    html = client.get(path).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html


@pytest.mark.parametrize("path", ["/ar/", "/fr/accounts/login/", "/en/nowhere/"])
def test_every_page_has_the_language_switcher(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)
    assert switcher is not None
    tail = path.split("/", 2)[2]
    for code in ("ar", "fr", "en"):
        assert f'href="/{code}/{tail}"' in switcher.group(0)
    assert switcher.group(0).count('aria-current="true"') == 1


def test_the_switcher_names_each_language_in_itself(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert 'lang="ar" dir="rtl" hreflang="ar"' in html
    assert "العربيّة" in html
    assert "Français" in html


def test_admin_pages_are_right_to_left_in_arabic(client: Client, coordinator) -> None:
    client.force_login(coordinator)
    html = client.get("/ar/admin/").content.decode()
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert 'class="language-switcher"' in html


def test_the_mfa_app_is_not_called_the_ministry_of_foreign_affairs_in_arabic() -> None:
    with translation.override("ar"):
        label = str(apps.get_app_config("mfa").verbose_name)
    assert label == "التحقق بخطوتين"
    assert "وزارة" not in label


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ar", "9 دجنبر 2026، 16:00"),
        ("fr", "9 décembre 2026 16:00"),
        ("en", "9 December 2026, 16:00"),
    ],
)
def test_dates_read_as_in_moroccan_administrations(lang: str, expected: str) -> None:
    moment = timezone.make_aware(datetime(2026, 12, 9, 16, 0))
    with translation.override(lang):
        assert date_format(moment, "DATETIME_FORMAT") == expected
