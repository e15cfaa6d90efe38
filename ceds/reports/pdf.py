"""The report as PDF (WeasyPrint): the same body as the page, with print CSS and page numbers."""

from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ceds.reports import assemble

CSS = Path(__file__).resolve().parent / "static" / "reports" / "report.css"


@lru_cache(maxsize=1)
def _css() -> str:
    return CSS.read_text(encoding="utf-8")


def render_pdf(user, assessment, language: str | None = None) -> bytes | None:
    """The PDF in the given language (default: the active one); None when there are no results yet.

    The context is built inside the language too: content names are localized when gathered.
    """
    from weasyprint import HTML  # imported here: only report downloads need it

    with translation.override(language or translation.get_language()):
        context = assemble.build(user, assessment)
        if context is None:
            return None
        html = render_to_string(
            "reports/pdf.html",
            {**context, "css": _css(), "page_label": _("Page"), "provisional_label": _("PROVISIONAL — not validated")},
        )
    return HTML(string=html).write_pdf()
