"""A foto or reisverslag as a PDF: the same content as the web page (compose.build), laid
out for paper by templates/journeys/reports/pdf.html and static/css/report_pdf.css, and
rendered by WeasyPrint (which needs Debian's Pango: scripts/ensure-pdf-libs).

The PDF is tagged (PDF/UA-1) so screen readers get its headings, tables and the charts'
alt texts, has the report's title and language in its metadata and a bookmark per
section heading. Rendering never goes on the network: the URL fetcher hands out only
files under the static directories and data: URLs, so an address written in a story
cannot make the server fetch anything.

render_pdf(result, base_url=...) -> bytes. `base_url` is the site's address: relative
links in the report become links to the site (nothing is fetched from it).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from journeys import method
from journeys.models import PhaseResult
from journeys.reports import compose

logger = logging.getLogger(__name__)

STYLESHEET = "css/report_pdf.css"
# Tagged PDF for assistive technology. Should a WeasyPrint version refuse the variant,
# the PDF is made untagged rather than not at all (and the log says so).
PDF_VARIANT = "pdf/ua-1"


class FetchRefusedError(ValueError):
    """WeasyPrint asked for a resource the PDF may not load."""


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [root.resolve() for root in roots]


def make_url_fetcher():
    """A WeasyPrint URL fetcher that serves data: URLs and files under the static
    directories, and refuses everything else (http, https, ftp, other files). What it
    refused is kept in `.refused`, for the log and the tests."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.roots = _allowed_roots()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and self._inside_static(url):
                return super().fetch(url, headers)
            self.refused.append(url)
            raise FetchRefusedError(f"not fetched for a PDF: {url[:200]}")

        def _inside_static(self, url: str) -> bool:
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                return False
            path = Path(url2pathname(parts.path)).resolve()
            return any(path.is_relative_to(root) for root in self.roots)

    return StaticOnlyFetcher()


@dataclass
class Rendered:
    pdf: bytes
    digest: str  # of the HTML: the same report gives the same digest
    refused: list[str]
    tagged: bool


def file_name(result: PhaseResult) -> str:
    """What the download is called: reisverslag-<journey>-cyclus-1.pdf."""
    return f"{method.RESULT_SLUGS[result.kind]}-{result.journey.slug}-cyclus-{result.cycle}.pdf"


def title_of(result: PhaseResult) -> str:
    return _("%(kind)s of %(journey)s, cycle %(cycle)s") % {
        "kind": result.get_kind_display().capitalize(),
        "journey": result.journey.title,
        "cycle": result.cycle,
    }


def render_html(result: PhaseResult) -> str:
    """The print document of `result` in the platform's language (Dutch): what the PDF
    shows. Holds no time of making, so the same report gives the same HTML."""
    with translation.override(settings.LANGUAGE_CODE):
        report = compose.build(result)  # in this language: its labels and notes are text
        journey = result.journey
        approved = result.approved_revision
        return render_to_string(
            "journeys/reports/pdf.html",
            {
                "report": report,
                "result": result,
                "journey": journey,
                "title": title_of(result),
                "kind_label": result.get_kind_display(),
                "revision": result.latest_revision,
                "approved_revision": approved,
                "approved_is_latest": approved is not None
                and approved.pk == result.latest_revision_id,
                "platform_name": settings.PLATFORM_NAME,
                "language": settings.LANGUAGE_CODE,
            },
        )


def digest_of(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def render(result: PhaseResult, *, base_url: str, html: str | None = None) -> Rendered:
    """The PDF of `result` with what rendering it took (see render_pdf)."""
    import weasyprint

    html = html if html is not None else render_html(result)
    fetcher = make_url_fetcher()
    stylesheet = finders.find(STYLESHEET)
    if not stylesheet:
        raise FileNotFoundError(STYLESHEET)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    css = weasyprint.CSS(filename=stylesheet, url_fetcher=fetcher)
    options = {
        "stylesheets": [css],
        "uncompressed_pdf": False,
        "pdf_tags": True,
    }
    tagged = True
    try:
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, **options)
    except Exception:  # a variant this WeasyPrint cannot make: untagged, but made
        logger.warning("PDF/UA rendering failed for %s; rendering untagged", result, exc_info=True)
        tagged = False
        pdf = document.write_pdf(**options)
    if fetcher.refused:
        logger.info("PDF of %s: refused to fetch %s", result, fetcher.refused)
    return Rendered(pdf=pdf, digest=digest_of(html), refused=fetcher.refused, tagged=tagged)


def render_pdf(result: PhaseResult, *, base_url: str) -> bytes:
    """The report of `result` (its latest revision, as readers see it now) as PDF bytes."""
    return render(result, base_url=base_url).pdf
