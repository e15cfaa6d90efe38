"""The roadmap's score path as an SVG chart (for the plan page and the PDF report)."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ceds.benchmarks.charts import fmt
from ceds.charts import Series, lines
from ceds.solutions.planning import Roadmap


def score_path(roadmap: Roadmap | None) -> str | None:
    """Expected overall score now and at the end of each year of the roadmap."""
    if roadmap is None or roadmap.baseline is None or not roadmap.years:
        return None
    labels = [_("Now")] + [_("Year %(n)s") % {"n": y["year"]} for y in roadmap.years]
    values = [roadmap.baseline] + [y["score"] for y in roadmap.years]
    svg = lines(
        "score-path",
        _("Expected score, year by year"),
        _("Expected overall score now and at the end of each year once the modules completed by then are in place")
        + ": "
        + ", ".join(f"{label} {fmt(v)}" for label, v in zip(labels, values, strict=True)),
        labels,
        [Series(_("Expected overall score"), values)],
        fmt=fmt,
    )
    return mark_safe(svg)  # noqa: S308 — built by ceds.charts, which escapes every text
