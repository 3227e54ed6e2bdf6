"""The report's charts, drawn on the server as SVG so that the admin page and the PDF
show the same thing.

Why plain SVG and no library: the charts are bars (targets against actuals, a
breakdown against the previous year), a few dozen lines of markup. Charting packages
(pygal, matplotlib, plotly's static export) lay text out themselves, and WeasyPrint's
own SVG renderer neither joins Arabic letters nor orders right-to-left text inside an
SVG `<text>` (tried: the letters come out unjoined and reversed). So the bars are SVG
and every word (labels, values, legend) is HTML around them: Pango shapes it in the PDF
and the browser on screen, in the direction of the page, with the project's fonts. In
a right-to-left language the bars grow from the right, as the text reads.

Every text is escaped here (labels come from the database: an activity kind, a
partner's name); numbers are written with `number_text`, one digit style (Western
digits) in every language."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from programs.report_data import Cell, Chart
from programs.suppression import Suppressed, cell_value

# Series colours: the site's green, a light green and an ochre, readable in grey print.
COLOURS = ("#0b5d3b", "#8fb8a1", "#b9751c")
BAR_HEIGHT = 7
GAP = 2

# Thousands and decimal separators per language; the digits are Western in all three
# (the practice of Moroccan administrations in Arabic too), so one style throughout.
SEPARATORS = {"en": (",", "."), "fr": ("\N{NARROW NO-BREAK SPACE}", ","), "ar": (",", ".")}


def number_text(value: Cell, language: str | None = None) -> str:
    """A figure as the report writes it: "12 345", "1 234,50", "< 5", "x" or an en dash;
    a whole Decimal without its decimals ("250 000", not "250 000,00")."""
    if value is None:
        return "\N{EN DASH}"
    if isinstance(value, Suppressed):
        return str(cell_value(value))
    if isinstance(value, str):
        return value
    thousands, decimal = SEPARATORS.get(
        (language or translation.get_language() or "en")[:2], SEPARATORS["en"]
    )
    if isinstance(value, Decimal) and value == value.to_integral_value():
        # A whole amount or count as a whole number: a sum of budget lines ("250000.00")
        # and a count ("120000") beside it read alike.
        value = int(value)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        text = f"{value:,.{places}f}"
    else:
        text = f"{value:,}"
    return text.translate(str.maketrans(",.", "\0" + decimal)).replace("\0", thousands)


def _magnitude(value: Cell) -> float:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return float(value)
    return 0.0


def bar_chart(
    *, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Cell]]]
) -> Chart:
    """Horizontal bars: one line per category, one bar per series (e.g. 2025 and 2024,
    or target and actual), each with its figure written beside it."""
    rtl = translation.get_language_bidi()
    top = max((_magnitude(v) for _name, values in series for v in values), default=0.0)
    height = len(series) * (BAR_HEIGHT + GAP)
    lines = []
    for index, category in enumerate(categories):
        bars = []
        figures = []
        for position, (_name, values) in enumerate(series):
            value = values[index] if index < len(values) else None
            width = round(100 * _magnitude(value) / top, 2) if top else 0.0
            x = round(100 - width, 2) if rtl else 0
            y = position * (BAR_HEIGHT + GAP)
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    x,
                    y,
                    width,
                    BAR_HEIGHT,
                    COLOURS[position % len(COLOURS)],
                )
            )
            figures.append(number_text(value))
        svg = format_html(
            # The height is the stylesheet's (.chart-bar-N): given the width alone, a
            # renderer scales the height with the viewBox and the bars grow tall.
            '<svg class="chart-bar chart-bar-{}" aria-hidden="true"'
            ' xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 {}"'
            ' preserveAspectRatio="none" width="100%" height="{}">'
            "{}</svg>",
            min(len(series), 3),
            height,
            height,
            mark_safe("".join(bars)),  # noqa: S308  (each made by format_html)
        )
        lines.append(
            format_html(
                '<tr><th scope="row">{}</th><td class="chart-bars">{}</td>'
                '<td class="chart-figures">{}</td></tr>',
                category,
                svg,
                format_html_join(
                    mark_safe("<br>"), '<bdi dir="ltr">{}</bdi>', ((f,) for f in figures)
                ),
            )
        )
    legend = format_html_join(
        " ",
        '<span class="chart-key"><svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg"'
        ' width="10" height="10" viewBox="0 0 10 10"><rect width="10" height="10" fill="{}"/>'
        "</svg> {}</span>",
        ((COLOURS[i % len(COLOURS)], name) for i, (name, _values) in enumerate(series)),
    )
    markup = format_html(
        '<figure class="chart"><figcaption>{}</figcaption><table class="chart-table">{}</table>'
        '<p class="chart-legend">{}</p></figure>',
        title,
        mark_safe("".join(lines)),  # noqa: S308  (each made by format_html)
        legend,
    )
    return Chart(title=title, svg=markup)


def target_chart(*, title: str, rows: Sequence[tuple[str, Cell, Cell]]) -> Chart:
    """Targets against actuals: (label, target, actual) per indicator."""
    return bar_chart(
        title=title,
        categories=[label for label, _target, _actual in rows],
        series=[
            (gettext("target"), [target for _label, target, _actual in rows]),
            (gettext("actual"), [actual for _label, _target, actual in rows]),
        ],
    )
