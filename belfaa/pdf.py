"""HTML to PDF with WeasyPrint, never touching the network or the disk.

WeasyPrint is imported when a PDF is made, not when the site starts: without Pango
(a system library) the rest of the site still runs, and only PDFs fail."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import weasyprint


def no_network_fetcher() -> "weasyprint.URLFetcher":
    """A fetcher for data: URIs only.

    Everything a document needs is inlined (CSS in the template, images as data: URIs,
    system fonts through fontconfig). Refusing every other scheme keeps a stray URL (in
    a template change, or text someone typed) from making the worker open a connection
    or read a local file. Make one per render: it keeps per-request state."""
    import weasyprint

    return weasyprint.URLFetcher(allowed_protocols={"data"})


def html_document(html: str) -> "weasyprint.Document":
    """Lay out `html`; returned rather than written so callers can inspect pages."""
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=no_network_fetcher()).render()
