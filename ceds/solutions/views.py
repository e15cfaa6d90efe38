from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ceds.accounts import roles
from ceds.accounts.models import CityRole
from ceds.assessments import services as workflow
from ceds.assessments.uploads import UploadRefused
from ceds.benchmarks.results import results_for
from ceds.cities.countries import country_display
from ceds.cities.models import CityProfile
from ceds.core import downloads
from ceds.core.i18n import localized
from ceds.frameworks.models import Item, Section
from ceds.solutions import guide, planning, services
from ceds.solutions.charts import score_path
from ceds.solutions.forms import ActionForm, AdoptStepsForm, PracticeForm, RoadmapForm
from ceds.solutions.models import Action, Module, Practice
from ceds.tenancy.access import get_assessment_for


@login_required
def plan(request, pk):
    """Key gaps, recommended modules and a roadmap for one assessment's results."""
    assessment = get_assessment_for(request.user, pk)
    results = results_for(assessment, roles.can_see_provisional(request.user, assessment))
    if results is None:
        raise Http404(_("No results yet."))
    form = RoadmapForm(request.GET or None)
    # Bad input changes nothing: the default roadmap is shown beside the form's errors.
    inputs = form.plan_inputs() if form.is_bound and form.is_valid() else {}
    built = services.build_plan(assessment, results.figures, **inputs)
    names = {s.code: s.name for s in Section.objects.filter(framework_version=assessment.framework_version)}
    key_gaps = built.gaps[: planning.KEY_GAPS]
    return render(
        request,
        "solutions/plan.html",
        {
            "assessment": assessment,
            "provisional": results.provisional,
            "plan": built,
            "score_path": score_path(built.roadmap),
            "roadmap_form": form,
            "key_gaps": key_gaps,
            "section_names": names,
            "can_manage": roles.can_manage_assessment(request.user, assessment),
            "target_levels": assessment.framework_version.target_levels(),
            "learn_from": services.learn_from(assessment, sorted({g.section for g in key_gaps})),
            "module_titles": {m.code: localized(m.title) for m in Module.objects.all()},
        },
    )


@login_required
@require_POST
def set_target(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    section = get_object_or_404(Section, framework_version=assessment.framework_version, code=code)
    try:
        workflow.set_target(request.user, assessment, section, request.POST.get("target", ""))
        messages.success(request, _("Target saved."))
    except workflow.WorkflowError as exc:
        messages.error(request, exc.messages[0])
    return redirect("plan", pk=assessment.pk)


def _module_city(request):
    """The city whose cost the module page shows, and the assessment it was opened from.

    `?assessment=<pk>` (the plan links so) names the assessment; otherwise a signed-in user of
    exactly one city sees that city's cost; otherwise nobody's (every band is shown).
    """
    raw = request.GET.get("assessment", "")
    if raw.isdigit() and request.user.is_authenticated:
        assessment = get_assessment_for(request.user, int(raw))
        return assessment.city, assessment
    if request.user.is_authenticated:
        cities = list(CityRole.objects.filter(user=request.user).select_related("city")[:2])
        if len(cities) == 1:
            return cities[0].city, None
    return None, None


def module_detail(request, code):
    module = get_object_or_404(Module.objects.prefetch_related("prerequisites", "enables"), code=code)
    city, assessment = _module_city(request)
    profile = CityProfile.objects.filter(city=city).first() if city is not None else None
    band = profile.population_band if profile is not None else None
    can_adopt = assessment is not None and roles.can_manage_assessment(request.user, assessment)
    return render(
        request,
        "solutions/module.html",
        {
            "module": module,
            "data": module.data,
            "guide": guide.guide(module.data, band),
            "city": city,
            "band": band,
            "band_name": profile.get_population_band_display() if profile is not None else "",
            "assessment": assessment,
            "adopt_form": AdoptStepsForm(city=assessment.city) if can_adopt else None,
        },
    )


def module_list(request):
    return render(request, "solutions/modules.html", {"modules": Module.objects.all()})


def practice_list(request):
    practices = Practice.objects.published().select_related("city")
    category = request.GET.get("category", "")
    section = request.GET.get("section", "")
    query = request.GET.get("q", "").strip().lower()

    def matches(p) -> bool:
        text = " ".join([localized(p.title), localized(p.data.get("summary")), p.city_name]).lower()
        return (
            (not category or category in p.data.get("categories", []))
            and (not section or section in p.data.get("sections", []))
            and (not query or query in text)
        )

    rows = [p for p in practices if matches(p)]
    for p in rows:
        p.country_name = country_display(p.country)
    return render(
        request,
        "solutions/practices.html",
        {"practices": rows, "category": category, "section": section, "query": query},
    )


@login_required
def actions(request, pk):
    """The action plan: adopted modules and the city's own actions."""
    assessment = get_assessment_for(request.user, pk)
    can_manage = roles.can_manage_assessment(request.user, assessment)
    codes = Item.objects.filter(framework_version=assessment.framework_version).values_list("code", flat=True)
    form = ActionForm(request.POST or None, item_codes=codes, prefix="new")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "linked"}
            services.save_action(request.user, assessment, {**data, "linked_items": form.cleaned_data["linked"]})
            messages.success(request, _("Action added."))
            return redirect("actions", pk=assessment.pk)
    rows = Action.objects.filter(assessment=assessment).select_related("module")
    return render(
        request,
        "solutions/actions.html",
        {
            "assessment": assessment,
            "rows": rows,
            "form": form if can_manage else None,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def adopt(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    module = get_object_or_404(Module, code=code)
    services.adopt_module(request.user, assessment, module)
    messages.success(request, _("Added to the action plan."))
    return redirect("actions", pk=assessment.pk)


@login_required
@require_POST
def adopt_steps(request, pk, code):
    """Put each of a module's steps into the action plan, with an owner and a due date."""
    assessment = get_assessment_for(request.user, pk, write=True)
    module = get_object_or_404(Module, code=code)
    form = AdoptStepsForm(request.POST, city=assessment.city)
    if not form.is_valid():
        for field_name, errors in form.errors.items():
            label = form.fields[field_name].label if field_name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(f"{reverse('module', args=[module.code])}?assessment={assessment.pk}")
    created = services.adopt_module_steps(request.user, assessment, module, form.cleaned_data["start"], form.owner())
    messages.success(
        request,
        ngettext("%(n)d step added to the action plan.", "%(n)d steps added to the action plan.", len(created))
        % {"n": len(created)},
    )
    return redirect("actions", pk=assessment.pk)


@login_required
def action_edit(request, pk, action_pk):
    assessment = get_assessment_for(request.user, pk, write=True)
    action = get_object_or_404(Action, assessment=assessment, pk=action_pk)
    codes = Item.objects.filter(framework_version=assessment.framework_version).values_list("code", flat=True)
    form = ActionForm(request.POST or None, instance=action, item_codes=codes)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "linked"}
        services.save_action(request.user, assessment, {**data, "linked_items": form.cleaned_data["linked"]}, action)
        messages.success(request, _("Action saved."))
        return redirect("actions", pk=assessment.pk)
    return render(request, "solutions/action_edit.html", {"assessment": assessment, "form": form, "action": action})


@login_required
def practice_new(request):
    """A city coordinator shares a case from their city."""
    cities = [r.city for r in CityRole.objects.filter(user=request.user, role="coordinator").select_related("city")]
    if not cities:
        raise PermissionDenied
    city = next((c for c in cities if c.slug == request.GET.get("city")), cities[0])
    form = PracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_practice(request.user, city, form.cleaned_data, form.cleaned_data.get("attachment"))
        except UploadRefused as exc:
            form.add_error("attachment", str(exc))
        else:
            messages.success(request, _("Thank you: the secretariat will review your case before it is published."))
            return redirect("practices_mine")
    return render(request, "solutions/practice_form.html", {"form": form, "city": city})


@login_required
def practices_mine(request):
    rows = Practice.objects.filter(submitted_by=request.user).order_by("-updated_at")
    return render(request, "solutions/practices_mine.html", {"rows": rows})


@login_required
def practice_edit(request, pk):
    practice = get_object_or_404(Practice, pk=pk, submitted_by=request.user, status=Practice.Status.CHANGES)
    initial = {
        "title": localized(practice.title),
        "year": practice.year,
        "what": localized(practice.data["summary"]),
        "why": localized(practice.data.get("why")),
        "results": localized(practice.data.get("results")),
        "contact": practice.data.get("contact"),
        "categories": practice.data.get("categories"),
        "sections": practice.data.get("sections"),
    }
    form = PracticeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.revise_practice(request.user, practice, form.cleaned_data, form.cleaned_data.get("attachment"))
        except UploadRefused as exc:
            form.add_error("attachment", str(exc))
        else:
            messages.success(request, _("Sent back for review."))
            return redirect("practices_mine")
    return render(request, "solutions/practice_form.html", {"form": form, "city": practice.city, "practice": practice})


@login_required
def practice_review(request):
    """The secretariat's queue of cases shared by cities."""
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    if request.method == "POST":
        practice = get_object_or_404(Practice, pk=request.POST.get("practice"))
        try:
            services.review_practice(
                request.user, practice, request.POST.get("action") == "publish", request.POST.get("note", "")
            )
            messages.success(request, _("Review saved."))
        except ValidationError:
            messages.error(request, _("To ask for changes, say what to change."))
        return redirect("practice_review")
    rows = Practice.objects.filter(origin=Practice.Origin.CITY, status=Practice.Status.SUBMITTED).select_related("city")
    return render(request, "solutions/practice_review.html", {"rows": rows})


def practice_attachment(request, pk):
    practice = get_object_or_404(Practice.objects.published(), pk=pk)
    if not practice.attachment:
        raise Http404
    # The type checked and stored at upload; never guessed from the name (a .js or .html name
    # would otherwise be served as script or a page from our origin).
    return downloads.stored_file(practice.attachment, practice.attachment_name or "case", practice.attachment_type)
