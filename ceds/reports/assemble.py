"""Everything a report shows, gathered once from stored results (the page and the PDF share it)."""

from django.utils.translation import gettext as _

from ceds.assessments.models import Answer
from ceds.assessments.presenters import figure_row, result_tree
from ceds.benchmarks import charts as page_charts
from ceds.benchmarks.models import PeerGroup
from ceds.benchmarks.results import (
    ALL_CITIES,
    domain_table,
    peer_figures,
    previous_cycle,
    results_for,
    service_rows,
    window_label,
    withheld_reason,
)
from ceds.cities.models import BudgetYear, PopulationBand
from ceds.core.i18n import localized
from ceds.reports.errata import errata_for
from ceds.solutions import guide
from ceds.solutions.charts import score_path
from ceds.solutions.models import Action, Module
from ceds.solutions.services import build_plan, profile_of

KEY_GAPS = 5
MODULES_IN_REPORT = 8


def _dimension_findings(definition, figures):
    """Per dimension or domain: its figure, and its strongest and weakest items."""
    findings = []
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                items = [
                    (item, (figures.get(f"item:{item['id']}") or {}).get("score"))
                    for item in section.get("items", [])
                    if item["kind"] != "text"
                ]
                scored = [(item, score) for item, score in items if score is not None]
                scored.sort(key=lambda pair: (pair[1], pair[0]["id"]))
                findings.append(
                    {
                        "row": figure_row(definition, f"section:{section['id']}", figures, localized(section["title"])),
                        "code": section["id"],
                        "weakest": [(i["id"], localized(i["title"]), s) for i, s in scored[:3]],
                        "strongest": [(i["id"], localized(i["title"]), s) for i, s in reversed(scored[-3:])],
                    }
                )
    return findings


def build(assessment, may_see_provisional: bool):
    results = results_for(assessment, may_see_provisional)
    if results is None:
        return None
    previous = previous_cycle(assessment)
    definition = assessment.framework_version.definition
    figures = results.figures
    tree = result_tree(definition, figures)
    sections = [s for p in tree for g in p["groups"] for s in g["sections"] if s["score"] is not None]
    # Percentiles for the overall score among all cities only: that is the one the report quotes
    # (and the radar's peer line is the median of all cities).
    overall_score = {"overall": figures["overall"]["score"]} if figures["overall"]["score"] is not None else {}
    peers = peer_figures(assessment, overall_score, ALL_CITIES) if not results.provisional else {}
    overall_peer = next((p for p in peers.get("overall", []) if p.group_kind == PeerGroup.ALL), None)
    plan = build_plan(assessment, figures)
    recommended = (plan.groups["necessary"] + plan.groups["later"])[:MODULES_IN_REPORT]
    progress = []
    if previous is not None:
        for key, title in [("overall", _("Overall"))] + [(s["key"], s["title"]) for s in sections]:
            before, after = previous.scores.get(key), (figures.get(key) or {}).get("score")
            if before is not None and after is not None:
                progress.append({"title": title, "before": before, "after": after, "delta": after - before})
    domains = domain_table(definition, figures)
    budgets = list(BudgetYear.objects.filter(city=assessment.city).order_by("year"))
    band = profile_of(assessment.city).get("population_band")
    actions = list(Action.objects.filter(assessment=assessment).select_related("module"))
    # An action adopted from a module's step quotes the step (weeks, roles, how to tell it is done).
    action_steps = {}
    for action in actions:
        if action.module is not None and action.step is not None:
            steps = guide.timeline(action.module.data.get("steps", []))
            if action.step <= len(steps):
                action_steps[action.pk] = steps[action.step - 1]
    return {
        "assessment": assessment,
        "provisional": results.provisional,
        "overall": figure_row(definition, "overall", figures, _("Overall")),
        "parts": tree,
        "strongest": sorted(sections, key=lambda s: -s["score"])[:2],
        "weakest": sorted(sections, key=lambda s: s["score"])[:2],
        "key_gaps": plan.gaps[:KEY_GAPS],
        "radar": page_charts.radar_for(assessment, definition, figures, previous, peers),
        "targets_chart": page_charts.as_is_to_be_chart(assessment, definition, figures),
        "domains": domains,
        "services": service_rows(assessment, definition, figures, "", "") if domains else [],
        "budgets": budgets,
        "budget_chart": page_charts.budget_for(budgets),
        "findings": _dimension_findings(definition, figures),
        "overall_peer": overall_peer,
        "peer_window": window_label(assessment.period),
        "no_comparison": withheld_reason(overall_peer, results.provisional, assessment.period),
        "previous": previous,
        "progress": progress,
        "plan": plan,
        "score_path": score_path(plan.roadmap),
        "recommended": recommended,
        # Per recommended module: its steps as a timeline, its cost for this city, the cheaper route.
        "guides": {r.code: guide.guide(r.module, band) for r in recommended},
        "band_name": dict(PopulationBand.choices).get(band, "") if band else "",
        "actions": actions,
        "action_steps": action_steps,
        "module_titles": {code: localized(title) for code, title in Module.objects.values_list("code", "title")},
        # Each case once, in the order of the key gaps it illustrates.
        "practices": list({p.pk: p for cases in plan.practices.values() for p in cases}.values()),
        "levels": [
            (lv["level"], localized(lv["name"]), localized(lv["description"]), lv["min"]) for lv in definition["levels"]
        ],
        "scoring": definition.get("scoring", {}),
        "answered": Answer.objects.filter(assessment=assessment).count(),
        # Provisional results are being corrected: the note belongs to the re-validated report.
        "errata": [] if results.provisional else errata_for(assessment),
    }
