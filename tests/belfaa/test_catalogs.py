"""The three catalogs are complete: every msgid we write is translated, none fuzzy,
and none of our source strings is missing from them. What Django and the packages show
in the admin without an Arabic translation of their own is translated in ours."""

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.test import Client
from django.utils import translation

from belfaa.models import User
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("ar", "fr", "en")
DOMAINS = ("django", "djangojs")
# The apps whose own catalogs the admin shows (allauth's holds allauth.mfa's strings;
# modeltranslation ships none). Django's core catalog is added below.
ADMIN_APPS = (
    "admin",
    "auth",
    "allauth",
    "mfa",
    "modeltranslation",
    "simple_history",
    "import_export",
)


def catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))


def package_catalog(domain: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale_packages" / "ar" / "LC_MESSAGES" / f"{domain}.po"))


def _translated(path: Path) -> set[tuple[str | None, str]]:
    if not path.exists():
        return set()
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)) if entry.translated()}


def _package_locales() -> list[Path]:
    core = Path(django.__file__).parent / "conf" / "locale"
    return [core] + [Path(apps.get_app_config(label).path) / "locale" for label in ADMIN_APPS]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_msgid_is_translated_and_none_is_fuzzy(lang: str) -> None:
    po = catalog(lang)
    assert len(po) > 50
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_are_all_written(lang: str) -> None:
    for entry in catalog(lang):
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{\w*\}")


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_msgid(lang: str) -> None:
    """A translation left over from another msgid ("Partenaire" for a sentence about
    the partner version) or a plural form that drops its number shows up here."""
    wrong = []
    for entry in catalog(lang):
        if not entry.msgid_plural:
            if _placeholders(entry.msgstr) != _placeholders(entry.msgid):
                wrong.append(entry.msgid)
            continue
        allowed = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
        forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
        # The singular forms may write the number as a word ("يوم واحد"); the last
        # form serves most counts and must say it.
        if any(_placeholders(form) - allowed for form in forms) or _placeholders(
            forms[-1]
        ) != _placeholders(entry.msgid_plural):
            wrong.append(entry.msgid)
    assert wrong == []


def test_arabic_uses_the_communes_own_words() -> None:
    translations = {entry.msgid: entry.msgstr for entry in catalog("ar")}
    assert translations["MFA"] == "التحقق بخطوتين"
    assert translations["Commune action plan"] == "برنامج عمل الجماعة"


def test_the_catalogs_hold_every_string_of_the_source(tmp_path: Path) -> None:
    need(shutil.which("xgettext") is not None, "GNU gettext (xgettext) is not installed")
    # Extract the source's msgids into a scratch copy of the catalogs and compare.
    work = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "node_modules", "*.mo", "__pycache__"
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *("-l", "ar", "-l", "fr", "-l", "en"),
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "--ignore",
            "bench/*",
        ],
        cwd=work,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for lang in LANGUAGES:
        extracted = polib.pofile(str(work / "locale" / lang / "LC_MESSAGES" / "django.po"))
        committed = {e.msgid for e in catalog(lang)}
        assert (lang, sorted({e.msgid for e in extracted} - committed)) == (lang, [])


@pytest.mark.parametrize("domain", DOMAINS)
def test_package_strings_translated_in_french_but_not_arabic_are_in_our_catalogs(
    domain: str,
) -> None:
    ours = _translated(ROOT / "locale" / "ar" / "LC_MESSAGES" / f"{domain}.po")
    ours |= _translated(ROOT / "locale_packages" / "ar" / "LC_MESSAGES" / f"{domain}.po")
    missing = {}
    for locale in _package_locales():
        french = locale / "fr" / "LC_MESSAGES" / f"{domain}.po"
        if not french.exists():
            continue
        arabic = _translated(locale / "ar" / "LC_MESSAGES" / f"{domain}.po")
        for entry in polib.pofile(str(french)):
            key = (entry.msgctxt, entry.msgid)
            if entry.translated() and key not in arabic and key not in ours:
                missing[key] = f"{entry.msgstr or entry.msgstr_plural[0]}  ({locale.parent.name})"
    # Add what is listed to locale_packages/ar/LC_MESSAGES/<domain>.po, in Arabic.
    assert missing == {}


@pytest.mark.parametrize("domain", DOMAINS)
def test_package_catalog_is_translated_with_every_plural_form(domain: str) -> None:
    po = package_catalog(domain)
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 6 and all(entry.msgstr_plural.values()), entry.msgid


def test_arabic_replaces_what_django_leaves_in_english() -> None:
    with translation.override("ar"):
        assert translation.gettext("Run") == "تنفيذ"
        assert translation.gettext(BLANK_CHOICE_LABEL) == "- اختر خيارا -"
        assert translation.gettext("Filter by %(field_name)s") == "تصفية حسب %(field_name)s"
        assert translation.gettext("Search %(name)s") == "البحث في %(name)s"
        assert translation.pgettext("Task", "Running") == "قيد التنفيذ"
        assert (
            translation.ngettext(
                "Export %(len)s selected item.", "Export %(len)s selected items.", 4
            )
            == "تصدير %(len)s عناصر محددة."
        )
    with translation.override("fr"):
        # French still comes from the packages' own catalogs.
        assert translation.gettext("Run") == "Exécuter"


@pytest.mark.django_db
def test_arabic_admin_names_authenticators_and_dates_its_calendar(
    client_for: Callable[[User], Client], coordinator: User, officer: User
) -> None:
    from tests.belfaa.test_authenticators_admin import enrol

    enrol(officer)  # a row, so the list shows its column headings
    client = client_for(coordinator)
    index = client.get("/ar/admin/").content.decode()
    assert "وسائل التحقق" in index
    assert "Authenticators" not in index
    changelist = client.get("/ar/admin/mfa/authenticator/").content.decode()
    assert "تاريخ آخر استعمال" in changelist
    script = client.get("/ar/admin/jsi18n/").content.decode()
    assert '"Today (%(date)s)": "\\u0627\\u0644\\u064a\\u0648\\u0645 (%(date)s)"' in script
