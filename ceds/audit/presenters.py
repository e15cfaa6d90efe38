"""The evidence sentence of a proposal, in the reader's language ("the audit found ... on ...")."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ceds.assessments.answers import describe as describe_answer
from ceds.audit.services import current_proposals
from ceds.frameworks.models import version_items


def check_label(check: str) -> str:
    return {
        "https": _("Encrypted connection (HTTPS)"),
        "privacy_policy": _("Privacy policy"),
        "contact": _("Contact details"),
        "site_search": _("Site search"),
        "mobile_viewport": _("Mobile viewport"),
        "open_data": _("Open data"),
        "languages": _("Languages offered"),
        "online_form": _("Online form"),
        "broken_links": _("Broken links"),
        "accessibility": _("Accessibility (axe-core)"),
        "page_weight": _("Page weight and speed"),
        "last_updated": _("Last-updated dates"),
    }.get(check, check)


# The checks whose sentence says only whether the audit found it: (present, absent).
_FOUND_OR_NOT = {
    "https": (
        gettext_lazy("The audit loaded every page it checked over HTTPS with a valid certificate (on %(date)s)."),
        gettext_lazy("The audit found a page without a valid HTTPS connection: %(url)s (on %(date)s)."),
    ),
    "privacy_policy": (
        gettext_lazy("The audit found a privacy policy linked from the home page at %(url)s on %(date)s."),
        gettext_lazy("The audit found no link to a privacy policy on the home page on %(date)s."),
    ),
    "contact": (
        gettext_lazy("The audit found contact details at %(url)s on %(date)s: %(found)s."),
        gettext_lazy("The audit found no e-mail address and telephone number, nor a contact page, on %(date)s."),
    ),
    "site_search": (
        gettext_lazy("The audit found a search box on the home page %(url)s on %(date)s."),
        gettext_lazy("The audit found no search box on the home page on %(date)s."),
    ),
    "mobile_viewport": (
        gettext_lazy("On %(date)s the home page declared a mobile viewport and fitted a phone-sized screen."),
        gettext_lazy(
            "On %(date)s the home page did not declare a mobile viewport or did not fit a phone-sized screen."
        ),
    ),
    "open_data": (
        gettext_lazy("The audit found a link to open data at %(url)s on %(date)s."),
        gettext_lazy("The audit found no link to open data on %(date)s."),
    ),
    "online_form": (
        gettext_lazy("The audit found an online form at %(url)s on %(date)s."),
        gettext_lazy("The audit found no online form other than search on the pages it checked on %(date)s."),
    ),
}


def _languages(value, args: dict) -> str:
    count = value if isinstance(value, int) else 1
    return ngettext(
        "On %(date)s the home page offered %(count)s language (%(found)s).",
        "On %(date)s the home page offered %(count)s languages (%(found)s).",
        count,
    ) % {**args, "count": count}


def _broken_links(value, args: dict) -> str:
    broken = value if isinstance(value, list) else []
    if not broken:
        return _("The audit found no broken link among the portal's links it checked on %(date)s.") % args
    return ngettext(
        "The audit found %(count)s broken link on %(date)s: %(found)s.",
        "The audit found %(count)s broken links on %(date)s: %(found)s.",
        len(broken),
    ) % {**args, "count": len(broken)}


def _accessibility(value, args: dict) -> str:
    counts = value if isinstance(value, dict) else {}
    return _(
        "axe-core on the home page on %(date)s: %(critical)s critical, %(serious)s serious, "
        "%(moderate)s moderate and %(minor)s minor findings."
    ) % {**args, **{k: counts.get(k, 0) for k in ("critical", "serious", "moderate", "minor")}}


def _page_weight(value, args: dict) -> str:
    weight = value if isinstance(value, dict) else {}
    kilobytes = round((weight.get("bytes") or 0) / 1000)
    if weight.get("truncated"):
        return _("On %(date)s the home page was larger than the audit's limit per file.") % args
    return _("On %(date)s the home page weighed %(kb)s kB and loaded in %(seconds)s s.") % {
        **args,
        "kb": kilobytes,
        "seconds": weight.get("seconds", 0),
    }


def _last_updated(value, args: dict) -> str:
    dated = value if isinstance(value, dict) else {}
    return _("On %(date)s, %(dated)s of the %(pages)s pages checked showed a date of update.") % {
        **args,
        "dated": dated.get("pages_with_date", 0),
        "pages": dated.get("pages", 0),
    }


_SENTENCE_OF = {
    "languages": _languages,
    "broken_links": _broken_links,
    "accessibility": _accessibility,
    "page_weight": _page_weight,
    "last_updated": _last_updated,
}


def describe(proposal) -> str:
    p = proposal
    args = {"url": p.evidence_url, "date": date_format(p.run.created_at, "DATE_FORMAT"), "found": p.found}
    if p.check_name in _FOUND_OR_NOT:
        present, absent = _FOUND_OR_NOT[p.check_name]
        return str(present if p.present else absent) % args
    if p.check_name in _SENTENCE_OF:
        return _SENTENCE_OF[p.check_name](p.observed, args)
    return p.found


def findings_for_section(assessment, section_code: str) -> dict[str, dict]:
    """item code -> {proposal, text, proposed} for the section page (two queries, none without a run)."""
    proposals = current_proposals(assessment, section_code)
    if not proposals:
        return {}
    items = version_items(assessment.framework_version)
    return {
        code: {"proposal": p, "text": describe(p), "proposed": describe_answer(items[code].data, p.answer)}
        for code, p in proposals.items()
        if code in items
    }
