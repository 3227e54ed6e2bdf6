"""The day's work on the admin index in a real browser, in French and in Arabic, at
1280 px and at 800 px: nothing overflows sideways, the indicators' bars are as long as
the share of the target reached and grow from the side the text starts on, the plan's
years read in order, and a figure's link opens a list of that many rows."""

import io
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from belfaa.roles import COORDINATOR, OFFICER
from tests.belfaa.dashboard_world import boundaries
from tests.conftest import _staff
from tests.e2e.conftest import PageLog, signed_in

# Where a string's first and last characters are on screen (not in the DOM), whatever
# the markup around it.
ON_SCREEN = """([element, wanted]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const start = node.data.indexOf(wanted);
    if (start < 0) continue;
    const range = document.createRange();
    const left = (i) => { range.setStart(node, i); range.setEnd(node, i + 1);
                          return range.getBoundingClientRect().left; };
    return [left(start), left(start + wanted.length - 1)];
  }
  return null;
}"""


def filled(page: Any, meter: Any) -> tuple[float, float, float]:
    """The bar's filled part, from the pixels: (share of the width, where it starts and
    where it ends, as shares of the width from the left)."""
    colour = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--dashboard-bar-fill')"
    ).strip()
    fill = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    image = Image.open(io.BytesIO(meter.screenshot())).convert("RGB")
    width, height = image.size
    row = [image.getpixel((x, height // 2)) for x in range(width)]
    near = [
        x
        for x, pixel in enumerate(row)
        if sum(abs(a - b) for a, b in zip(pixel, fill, strict=True)) < 40
    ]
    if not near:
        return 0.0, 0.0, 0.0
    return len(near) / width, near[0] / width, (near[-1] + 1) / width


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("ar", 1280), ("fr", 800), ("ar", 800)])
def test_the_days_work_reads_right_in_both_directions(
    live_server: Any,
    new_page: Any,
    page_log: PageLog,
    screenshot: Any,
    transactional_db: None,
    lang: str,
    width: int,
) -> None:
    coordinator = _staff("c@x.test", COORDINATOR)
    expected = boundaries(entered_by=_staff("o@x.test", OFFICER), approved_by=coordinator)
    page = signed_in(new_page(viewport={"width": width, "height": 900}), live_server, coordinator)
    page.goto(f"{live_server.url}/{lang}/admin/")
    page.wait_for_selector(".dashboard")
    screenshot(page, f"dashboard-{lang}-{width}")
    rtl = lang == "ar"
    assert page.evaluate("document.documentElement.dir") == ("rtl" if rtl else "ltr")

    # Nothing wider than the window: neither the page nor any panel.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    client_width = page.evaluate("document.documentElement.clientWidth")
    for panel in page.locator(".dashboard-panel").all():
        box = panel.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= client_width + 0.5, box
        assert panel.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), panel

    # Each bar as long as the share of the target reached, from the start side.
    meters = page.locator("#panel-indicators ~ table meter.dashboard-bar").all()
    assert len(meters) == len(expected["bars"])
    for meter, percent in zip(meters, expected["bars"].values(), strict=True):
        share, start, end = filled(page, meter)
        assert abs(share - percent / 100) < 0.06, (percent, share)
        if rtl:
            assert end > 0.97, (percent, start, end)  # grows from the right
        else:
            assert start < 0.03, (percent, start, end)  # grows from the left

    # The plan's years read first year first in both directions ("2024-2030").
    caption = page.locator("#panel-indicators ~ table caption")
    assert expected["years"] in caption.inner_text()
    first, last = page.evaluate(ON_SCREEN, [caption.element_handle(), expected["years"]])
    assert first < last, "the years read backwards"

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    # A figure opens the list of exactly that many rows.
    overdue = page.locator("a[href$='?stage=overdue']")
    assert overdue.inner_text().strip().startswith(str(expected["reports"]["overdue"]))
    overdue.click()
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == expected["reports"]["overdue"]
    page_log.assert_clean()
