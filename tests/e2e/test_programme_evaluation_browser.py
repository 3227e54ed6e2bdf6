"""A Coordinator records a programme's yearly evaluation in the admin, in a real
browser: the programme's page lists its evaluations, "Add another" gives a new row, and
the saved year reaches the programmes list's "yearly evaluation" filter. In Arabic and
French, at 1280 px and 800 px, the page never scrolls sideways."""

from typing import Any

import pytest
from django.utils import timezone

from belfaa.roles import COORDINATOR
from programs.models import Evaluation
from tests.conftest import _staff
from tests.e2e.conftest import PageLog, signed_in
from tests.programs.plan_builders import plan, programme


@pytest.mark.parametrize(("lang", "width"), [("ar", 1280), ("fr", 800), ("ar", 800)])
def test_a_coordinator_records_last_years_evaluation(
    live_server: Any,
    new_page: Any,
    page_log: PageLog,
    screenshot: Any,
    transactional_db: None,
    lang: str,
    width: int,
) -> None:
    last = timezone.localdate().year - 1
    item = programme(plan(last - 3, last + 3), "mig-2-mre")
    Evaluation.objects.create(programme=item, year=last - 1, status="under_way", completion=20)
    page = signed_in(
        new_page(viewport={"width": width, "height": 900}),
        live_server,
        _staff("c@x.test", COORDINATOR),
    )
    listed = f"{live_server.url}/{lang}/admin/programs/programme/?evaluation=missing"
    page.goto(listed)
    assert page.locator("#result_list tbody tr").count() == 1

    page.goto(f"{live_server.url}/{lang}/admin/programs/programme/{item.pk}/change/")
    group = page.locator("#evaluations-group")
    assert group.locator("tr.form-row.has_original").count() == 1
    assert group.locator("input[name='evaluations-0-year']").input_value() == str(last - 1)
    group.locator(".add-row a").click()
    row = group.locator("tr.form-row.dynamic-evaluations").last
    row.locator("input[name$='-year']").fill(str(last))
    row.locator("select[name$='-status']").select_option("stalled")
    row.locator("input[name$='-completion']").fill("20")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"programme-evaluations-{lang}-{width}")
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist .success")

    saved = Evaluation.objects.get(programme=item, year=last)
    assert (saved.status, saved.completion) == ("stalled", 20)
    page.goto(listed)
    assert page.locator("#result_list").count() == 0  # nothing left to evaluate
    page_log.assert_clean()
