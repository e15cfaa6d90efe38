"""Result pages: the city dashboard, explanations, benchmarks and history.

They read stored snapshots and precomputed peer statistics (ceds.benchmarks.results);
a draft's figures are shown only to those who may see provisional results, labelled.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.assessments.models import Answer
from ceds.assessments.presenters import figure_names, figure_row, result_tree
from ceds.audit.estimate import losi_estimate
from ceds.benchmarks import charts as page_charts
from ceds.benchmarks.models import PeerGroup
from ceds.benchmarks.results import (
    ALL_CITIES,
    current_scores,
    domain_table,
    peer_figures,
    previous_cycle,
    results_for,
    service_rows,
    window_label,
    withheld_reason,
)
from ceds.benchmarks.services import labelled_groups
from ceds.cities.models import BudgetYear
from ceds.core.i18n import localized
from ceds.indices.importer import national_context
from ceds.results.comparison import compare_cycles
from ceds.tenancy.access import get_assessment_for

SERVICE_STATUSES = ("operating", "developing", "planned", "absent")


def _results_or_404(request, assessment, summary: bool = False):
    results = results_for(assessment, roles.can_see_provisional(request.user, assessment), summary)
    if results is None:
        raise Http404(_("No results yet."))
    return results


@login_required
def dashboard(request, pk):
    assessment = get_assessment_for(request.user, pk)
    results = _results_or_404(request, assessment, summary=True)
    definition = assessment.framework_version.definition
    figures = results.figures
    previous = previous_cycle(assessment)
    # The radar's peer line is the median of all cities; the benchmark page has every group.
    peers = peer_figures(assessment, groups=ALL_CITIES) if not results.provisional else {}
    tree = result_tree(definition, figures)
    overall = figure_row(definition, "overall", figures, _("Overall"))
    budgets = list(BudgetYear.objects.filter(city=assessment.city).order_by("year"))
    context = {
        "assessment": assessment,
        "provisional": results.provisional,
        "overall": overall,
        # What the overall figure is the mean of, named beside it (each part's own overall
        # level is the last row of its table).
        "overall_of": " + ".join(part["title"] for part in tree),
        "parts": tree,
        "radar": page_charts.radar_for(assessment, definition, figures, previous, peers),
        "targets": page_charts.as_is_to_be_chart(assessment, definition, figures),
        "domains": domain_table(definition, figures),
        "budgets": budgets,
        "budget_chart": page_charts.budget_for(budgets),
        "national": national_context(assessment.city.country_id, assessment.city),
        "losi": losi_estimate(assessment),
        "level_names": [
            (lv["level"], localized(lv["name"]), localized(lv["description"])) for lv in definition["levels"]
        ],
    }
    return render(request, "results/dashboard.html", context)


@login_required
def services(request, pk):
    """Every service of the assessment, filtered by domain and status (the dashboard summarises them by domain)."""
    assessment = get_assessment_for(request.user, pk)
    results = _results_or_404(request, assessment)
    definition = assessment.framework_version.definition
    domains = [s for p in definition["parts"] for g in p["groups"] for s in g["sections"] if s.get("kind") == "domain"]
    if not domains:
        raise Http404(_("This framework has no services."))
    domain = request.GET.get("domain", "")
    status = request.GET.get("status", "")
    return render(
        request,
        "results/services.html",
        {
            "assessment": assessment,
            "provisional": results.provisional,
            "services": service_rows(assessment, definition, results.figures, domain, status),
            "service_domains": domains,
            "service_statuses": SERVICE_STATUSES,
            "domain": domain,
            "status": status,
        },
    )


@login_required
def explain(request, pk, key):
    """Why a figure is what it is: its contributions, each linking one level down."""
    assessment = get_assessment_for(request.user, pk)
    results = _results_or_404(request, assessment)
    definition = assessment.framework_version.definition
    if key not in results.figures:
        raise Http404
    names = figure_names(definition)
    figure = figure_row(definition, key, results.figures, names.get(key, key))
    contributions = [
        {
            **c,
            "name": names.get(c["key"], c["key"]),
            "drillable": c["key"] in results.figures and not c["key"].startswith("item:"),
        }
        for c in figure["contributions"]
    ]
    answer = None
    if key.startswith("item:"):
        answer = Answer.objects.filter(assessment=assessment, item__code=key.removeprefix("item:")).first()
    return render(
        request,
        "results/explain.html",
        {
            "assessment": assessment,
            "provisional": results.provisional,
            "figure": figure,
            "contributions": contributions,
            "answer": answer,
        },
    )


@login_required
def benchmark(request, pk):
    """The city's figures against one peer group at a time (all cities unless another is chosen)."""
    assessment = get_assessment_for(request.user, pk)
    scores = current_scores(assessment)
    if scores is None:
        raise Http404(_("Benchmarks compare validated results only."))
    definition = assessment.framework_version.definition
    groups = labelled_groups(assessment.city)
    kind = request.GET.get("group", PeerGroup.ALL)
    if kind not in groups:
        kind = PeerGroup.ALL
    peers = peer_figures(
        assessment, scores, {kind: groups[kind][0]}, reader_groups={k: value for k, (value, _label) in groups.items()}
    )
    names = figure_names(definition, items=False)  # peer statistics cover the figures above items
    rows = [
        {
            "key": key,
            "name": names.get(key, key),
            "score": scores.get(key),
            "peer": peer_list[0],
            "withheld": "" if peer_list[0].shown else withheld_reason(peer_list[0], False, assessment.period),
        }
        for key, peer_list in peers.items()
    ]
    order = list(names)
    rows.sort(key=lambda r: order.index(r["key"]) if r["key"] in order else len(order))
    return render(
        request,
        "results/benchmark.html",
        {
            "assessment": assessment,
            "rows": rows,
            "groups": [
                {"kind": k, "label": PeerGroup(k).label, "value": value_label}
                for k, (_value, value_label) in groups.items()
            ],
            "group": kind,
            "sharing": assessment.get_sharing_display(),
            "ranking": page_charts.ranking_for(assessment, scores),
            "peer_window": window_label(assessment.period),
        },
    )


@login_required
def history(request, pk):
    assessment = get_assessment_for(request.user, pk)
    cycles = page_charts.cycles_for(assessment)
    return render(request, "results/history.html", {"assessment": assessment, **cycles})


@login_required
def compare(request, pk, other_pk):
    """Two cycles side by side: every item whose answer changed and what it did to its dimension."""
    first = get_assessment_for(request.user, pk)
    second = get_assessment_for(request.user, other_pk)
    if first.city_id != second.city_id:
        raise Http404
    older, newer = sorted([first, second], key=lambda a: a.period)
    old_results, new_results = _results_or_404(request, older), _results_or_404(request, newer)
    if older.framework_version_id != newer.framework_version_id and (
        older.framework_version.framework_id != newer.framework_version.framework_id
    ):
        raise Http404  # cycles of two different frameworks do not compare
    comparison = compare_cycles(older, newer, old_results.figures, new_results.figures)
    return render(
        request,
        "results/compare.html",
        {
            "older": older,
            "newer": newer,
            "changes": comparison.changes,
            "figure_deltas": comparison.figure_deltas,
            "version_changed": comparison.version_changed,
            "actions": comparison.actions,
        },
    )
