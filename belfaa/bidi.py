"""Values that read left to right in every language: phones, time and year ranges,
references, e-mail addresses, URLs.

In right-to-left text the Unicode bidirectional algorithm reorders them: a dash or a
"+" next to digits takes the direction of the Arabic around it, and digits after Arabic
letters count as Arabic numbers, so "09:00-13:00" shows as "13:00-09:00", "2021-2027"
as "2027-2021" and "+212611000000" as "212611000000+". Isolating the value left to
right fixes that and leaves French and English unchanged:

- HTML (templates, admin displays built with `format_html`, the PDFs):
  `<bdi dir="ltr">…</bdi>`, which browsers and WeasyPrint lay out as a left-to-right
  island (WeasyPrint gives an element with `dir` its own direction; no CSS is needed).
- Plain text that HTML cannot reach (a model's `__str__` shown in a `<select>`):
  U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE.

Where not to use them: a URL in a plain-text e-mail stands alone on its line instead
(mail clients that make links of URLs often take an invisible isolate into the link,
which then breaks); data files (CSV, XLSX, JSON, .ics) keep values as they are, so
that a phone copied from them is still a phone.
"""

from typing import TYPE_CHECKING

from django.utils.html import format_html
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.forms import Widget

LRI = "\N{LEFT-TO-RIGHT ISOLATE}"
PDI = "\N{POP DIRECTIONAL ISOLATE}"


def ltr_html(value: object) -> SafeString:
    """`value` escaped (unless already safe) and isolated left to right; nothing for
    None or an empty value, so an optional phone leaves no empty element behind."""
    if value is None or value == "":
        return SafeString("")
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def without_isolates(text: str) -> str:
    """`text` with the isolates of `ltr_text` taken out, for a data file."""
    return text.replace(LRI, "").replace(PDI, "")


def ltr_text(value: object) -> str:
    """`value` between Unicode isolates, for plain text; "" for None or empty."""
    if value is None or value == "":
        return ""
    return f"{LRI}{value}{PDI}"


def admin_contact_widgets() -> dict[str, "Widget"]:
    """The admin's inputs for `phone` and `email`, typed left to right on Arabic pages
    (for a `ModelForm`'s `Meta.widgets`)."""
    # Imported here: models import this module, and the admin's widgets import models.
    from django.contrib.admin.widgets import AdminEmailInputWidget, AdminTextInputWidget

    return {
        "phone": AdminTextInputWidget(attrs={"dir": "ltr"}),
        "email": AdminEmailInputWidget(attrs={"dir": "ltr"}),
    }
