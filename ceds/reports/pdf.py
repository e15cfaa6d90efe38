"""The report as PDF (WeasyPrint): the page's body, issued or provisional, with print CSS and page numbers."""

from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ceds.reports import issue

CSS = Path(__file__).resolve().parent / "static" / "reports" / "report.css"


@lru_cache(maxsize=1)
def _css() -> str:
    return CSS.read_text(encoding="utf-8")


def render_pdf(user, assessment, language: str | None = None) -> bytes | None:
    """The PDF in the given language (default: the active one); None when there are no results yet."""
    from weasyprint import HTML  # imported here: only report downloads need it

    with translation.override(language or translation.get_language()):
        report = issue.report_for(user, assessment, wait=False)
        if report is None:
            return None
        html = render_to_string(
            "reports/pdf.html",
            {
                "assessment": assessment,
                "report": report,
                "css": _css(),
                "page_label": _("Page"),
                "provisional_label": _("PROVISIONAL — not validated"),
            },
        )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
