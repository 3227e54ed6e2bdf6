"""The demo's Coordinator asks for the 2025 PAC report in the admin, in each language and
format, and downloads it, in a real browser. As with `make run` (no broker), the task
runs in the web process, so the progress page offers the file at once."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from belfaa.celery import app as celery_app
from belfaa.demo import DEMO_PASSWORD, STAFF
from tests.e2e.conftest import PageLog

FORMATS = {"pdf": b"%PDF-", "xlsx": b"PK\x03\x04", "csv": "\ufeff".encode(), "html": b"<!DOC"}


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    call_command("seed_demo", force=True, verbosity=0)


def test_the_coordinator_downloads_the_2025_report_in_every_language_and_format(
    live_server: Any, demo: None, page: Any, page_log: PageLog, tmp_path: Path
) -> None:
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.locator("input[name=login]").fill(STAFF[0][0])
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/fr/**")
    for language in ("ar", "fr", "en"):
        for file_format, start in FORMATS.items():
            page.goto(f"{live_server.url}/{language}/admin/programs/reportfile/add/")
            form = page.locator("form[method=post]")
            form.locator("select[name=year]").select_option("2025")
            form.locator("select[name=language]").select_option(language)
            form.locator("select[name=format]").select_option(file_format)
            form.locator("input[type=submit]").click()
            link = page.locator("a.button[href$='/download/']")
            with page.expect_download() as download:
                link.click()
            saved = tmp_path / f"{language}.{file_format}"
            download.value.save_as(saved)
            assert download.value.suggested_filename == f"pac-report-2025-{language}.{file_format}"
            content = saved.read_bytes()
            assert content.startswith(start), (language, file_format)
            if file_format == "xlsx":
                sheets = load_workbook(saved).worksheets
                assert len(sheets) == 8  # seven sections and the notes
    page_log.assert_clean()
