"""The import's preview in a real browser: at 1280 px and on a tablet the errors are
in view without scrolling sideways (they come right after each row's status), and the
table scrolls inside its frame, never the page; in French and in Arabic."""

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from belfaa.roles import OFFICER
from tests.conftest import _staff
from tests.e2e.conftest import PageLog, signed_in

MESSY = Path(__file__).resolve().parent.parent / "participants" / "data" / "messy_registry.csv"


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("ar", 1280), ("fr", 800), ("ar", 800)])
def test_the_errors_are_in_view_and_only_the_table_scrolls(
    live_server: Any,
    new_page: Any,
    page_log: PageLog,
    transactional_db: None,
    lang: str,
    width: int,
) -> None:
    page = signed_in(
        new_page(viewport={"width": width, "height": 900}), live_server, _staff("o@x.test", OFFICER)
    )
    page.goto(f"{live_server.url}/{lang}/staff/participants/import/")
    page.locator("input[type=file]").set_input_files(str(MESSY))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector(".import-table")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    problem = page.locator("tr.is-error .import-problems").first
    box = problem.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + min(box["width"], 200) <= width, box
    assert problem.inner_text().strip(), "an error row says what is wrong"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page_log.assert_clean()
