"""The weight of a page as a browser first downloads it: the HTML and every resource it
references (stylesheets, icons, scripts, images, and what the stylesheets reference
with url() or @import), asked for with `Accept-Encoding: gzip, br` as browsers do.

Sizes are the bodies as transferred (compressed when the server compressed them;
headers not counted). WhiteNoise serves the precompressed .br/.gz of collected static
files; Django compresses no HTML here, so the HTML's compressed size is estimated by
gzip level 6 locally, and the result says so. Only this server's resources are fetched;
others would be listed as external and not counted (the CSP allows none).
"""

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from web import HOST, request

ACCEPT_COMPRESSED = {"Accept-Encoding": "gzip, br"}
ACCEPT_IDENTITY = {"Accept-Encoding": "identity"}
# <link rel=...> a browser downloads while loading the page.
FETCHED_RELS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}
CSS_REFERENCE = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)"""
    r"""|@import\s+(?:"([^"]*)"|'([^']*)')"""
)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Resource:
    url: str
    kind: str  # html, stylesheet, icon, script, img, css url(), ...
    status: int
    content_type: str
    encoding: str  # Content-Encoding as sent; "identity" when none
    bytes: int  # counted: as transferred, or the local gzip estimate for the HTML
    uncompressed_bytes: int
    estimated: bool  # bytes is gzip -6 computed here, not what the server sent


@dataclass
class PageWeight:
    path: str
    resources: list[Resource] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(resource.bytes for resource in self.resources)


class References(HTMLParser):
    """The URLs of what a page makes the browser download, in order, with their kind."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & FETCHED_RELS and values.get("href"):
                self.found.append((values["href"], " ".join(sorted(rels & FETCHED_RELS))))
        elif tag == "script" and values.get("src"):
            self.found.append((values["src"], "script"))
        elif tag == "img" and values.get("src"):
            self.found.append((values["src"], "img"))


def css_references(text: str) -> list[tuple[str, str]]:
    found = []
    for match in CSS_REFERENCE.finditer(CSS_COMMENT.sub("", text)):
        url_form = next((group for group in match.groups()[:3] if group is not None), None)
        if url_form is not None:
            found.append((url_form.strip(), "css url()"))
        else:
            found.append((match.group(4) or match.group(5) or "", "css @import"))
    return found


def _decoded(port: int, path: str, encoding: str, body: bytes) -> bytes:
    """The body as text for parsing: undone locally for gzip, asked again otherwise."""
    if encoding == "identity":
        return body
    if encoding == "gzip":
        return gzip.decompress(body)
    return request(port, "GET", path, ACCEPT_IDENTITY).body


def measure_page(port: int, path: str) -> PageWeight:
    """Download `path` and everything it references from the server on `port`."""
    origin = f"http://{HOST}:{port}"
    weight = PageWeight(path)
    queue: list[tuple[str, str]] = [(origin + path, "html")]
    seen: set[str] = set()
    while queue:
        url, kind = queue.pop(0)
        url = urldefrag(url).url
        if url in seen or url.startswith("data:"):
            continue  # data: URLs are inside what references them, already counted
        seen.add(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            weight.external.append(url)
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response = request(port, "GET", target, ACCEPT_COMPRESSED)
        if response.status != 200:
            weight.errors.append(f"{target} ({kind}) answered {response.status}")
            continue
        encoding = response.header("Content-Encoding") or "identity"
        content_type = response.header("Content-Type").split(";")[0].strip()
        text = _decoded(port, target, encoding, response.body)
        estimated = kind == "html" and encoding == "identity"
        size = len(gzip.compress(text, GZIP_LEVEL)) if estimated else len(response.body)
        weight.resources.append(
            Resource(target, kind, 200, content_type, encoding, size, len(text), estimated)
        )
        if content_type == "text/html":
            parser = References()
            parser.feed(text.decode("utf-8", errors="replace"))
            parser.close()
            queue.extend((urljoin(url, ref), ref_kind) for ref, ref_kind in parser.found)
        elif content_type == "text/css":
            found = css_references(text.decode("utf-8", errors="replace"))
            queue.extend((urljoin(url, ref), ref_kind) for ref, ref_kind in found if ref)
    return weight
