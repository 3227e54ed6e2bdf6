"""The three catalogs are complete: every msgid we write is translated, none fuzzy,
and none of our source strings is missing from them."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("ar", "fr", "en")


def catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))


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
            "-l",
            "ar",
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
    extracted = {e.msgid for e in polib.pofile(str(work / "locale/ar/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in catalog("ar")}
    assert sorted(extracted - committed) == []
