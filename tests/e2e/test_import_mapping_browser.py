"""The import's choice of columns in a real browser (plain form posts, no script of
ours): a file whose group column has an unknown header leads to one select per
column; choosing the group column and sending the form shows the preview with every
row valid. In French and in Arabic, at 1280 px and 800 px, the page never scrolls
sideways (the table may, inside its frame)."""

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from belfaa.roles import OFFICER
from tests.conftest import _staff
from tests.e2e.conftest import PageLog, signed_in

Screenshot = Any
# "Public" is no header the import knows; "Statut" is sensitive and stays out.
ROWS = (
    "Prénom;Nom;Public;Statut;Téléphone",
    "Awa;Sow;migrante;réfugiée;0612345678",
    "Youssef;Alami;MRE;;0698765432",
    "Fatima Zahra;Benali;jeune;;",
)


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("ar", 1280), ("fr", 800), ("ar", 800)])
def test_choosing_the_group_column_makes_every_row_valid(
    live_server: Any,
    new_page: Any,
    page_log: PageLog,
    screenshot: Screenshot,
    transactional_db: None,
    tmp_path: Path,
    lang: str,
    width: int,
) -> None:
    people = tmp_path / "inscrits.csv"
    people.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    page = signed_in(
        new_page(viewport={"width": width, "height": 900}),
        live_server,
        _staff("o@x.test", OFFICER),
    )
    page.goto(f"{live_server.url}/{lang}/staff/participants/import/")
    page.locator("input[type=file]").set_input_files(str(people))
    page.locator("main form button[type=submit]").first.click()

    page.wait_for_selector("select[name=column-2]")
    assert page.url.endswith("/columns/")
    assert page.locator("#errors").inner_text().strip(), "the missing group is named"
    assert page.locator("select[name=column-3]").count() == 0, "no select for Statut"
    assert "réfugiée" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    screenshot(page, f"import-columns-{lang}-{width}")

    page.locator("select[name=column-2]").select_option("group")
    page.locator("form.import-columns-form button[type=submit]").click()
    page.wait_for_selector(".import-table")
    assert page.locator("#count-create").inner_text() == "3"
    assert page.locator("#count-error").inner_text() == "0"
    assert page.locator("tr.is-error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    screenshot(page, f"import-columns-preview-{lang}-{width}")
    page_log.assert_clean()
