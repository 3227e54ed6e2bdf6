"""HTML to PDF with WeasyPrint, never touching the network.

WeasyPrint is imported when a PDF is made, not when the site starts: without Pango
(a system library) the rest of the site still runs, and only PDFs fail, with
`PdfUnavailable`: the error page then says so in the reader's language (belfaa/errors.py)
instead of a bare server error.

The fonts ship with the project (belfaa/fonts, see its README): templates name them
with `belfaa-font:` URLs in @font-face (templates/pdf/font_faces.css), so a PDF looks
the same on every host, whatever fonts the system has or lacks."""

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import weasyprint


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot load its system libraries (Pango) on this server."""


def _weasyprint() -> Any:
    try:
        import weasyprint
    except OSError as error:
        raise PdfUnavailable(str(error).splitlines()[0]) from error
    return weasyprint


FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_SCHEME = "belfaa-font"


def font_file(url: str) -> Path:
    """The shipped font a `belfaa-font:NAME` URL names; ValueError for anything else.

    Only a bare file name that is one of the shipped fonts is accepted, so a crafted
    URL (`belfaa-font:../../settings.py`) cannot read another file."""
    name = url.removeprefix(f"{FONT_SCHEME}:")
    shipped = {path.name: path for path in FONTS_DIR.glob("*.ttf")}
    if name == url or name not in shipped:
        raise ValueError(f"not a font shipped with Belfaa: {url}")
    return shipped[name]


@functools.cache
def _fetcher_class() -> type["weasyprint.URLFetcher"]:
    _weasyprint()  # PdfUnavailable without Pango, before the plain import below
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    class LocalFetcher(weasyprint.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.lower().startswith(f"{FONT_SCHEME}:"):
                body = font_file(url).read_bytes()
                return URLFetcherResponse(url, body, {"Content-Type": "font/ttf"})
            return super().fetch(url, headers)

    return LocalFetcher


def no_network_fetcher() -> "weasyprint.URLFetcher":
    """A fetcher for data: URIs and the shipped fonts only.

    Everything a document needs is inlined (CSS in the template, images as data: URIs)
    or is one of our fonts. Refusing every other scheme keeps a stray URL (in a template
    change, or text someone typed) from making the worker open a connection or read a
    local file. Make one per render: it keeps per-request state."""
    return _fetcher_class()(allowed_protocols={"data"})


def html_document(html: str) -> "weasyprint.Document":
    """Lay out `html`; returned rather than written so callers can inspect pages."""
    engine = _weasyprint()
    return engine.HTML(string=html, url_fetcher=no_network_fetcher()).render()
