from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ceds.accounts import roles
from ceds.accounts.models import CityRole
from ceds.cities import services
from ceds.cities.forms import BudgetYearForm, CityForm, CityProfileForm, MembershipForm
from ceds.cities.models import BudgetYear, City, CityProfile, Country, Membership, Place
from ceds.cities.staffing import cities_without_coordinator, with_coordinator_flag
from ceds.tenancy.access import get_city_for


@login_required
def city_list(request):
    cities = with_coordinator_flag(
        roles.readable_cities(request.user, City.objects.select_related("country", "region", "membership"))
    ).order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        cities = cities.filter(Q(name__icontains=query) | Q(country__name_en__icontains=query))
    return render(
        request,
        "cities/city_list.html",
        {
            "cities": cities,
            "query": query,
            "can_create": roles.can_manage_cities(request.user),
            # Shown to the secretariat and regional offices only (empty for everyone else).
            "without_coordinator": list(cities_without_coordinator(request.user)),
        },
    )


@login_required
def city_detail(request, slug):
    city = get_city_for(request.user, slug)
    profile = CityProfile.objects.filter(city=city).first()
    budgets = list(BudgetYear.objects.filter(city=city).order_by("-year"))
    members = list(CityRole.objects.filter(city=city).select_related("user").order_by("role", "user__email"))
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "membership": Membership.objects.filter(city=city).first(),
            "profile": profile,
            "budgets": budgets,
            "members": members,
            "has_coordinator": any(m.role == CityRole.Role.COORDINATOR and m.user.is_active for m in members),
            "is_coordinator": roles.city_role(request.user, city) == CityRole.Role.COORDINATOR,
            "can_manage": roles.can_manage_city(request.user, city),
            "can_manage_cities": roles.can_manage_cities(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, slug):
    city = get_city_for(request.user, slug, write=True)
    instance = CityProfile.objects.filter(city=city).first()
    form = CityProfileForm(request.POST or None, instance=instance, city=city)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, city, form.profile_data())
        messages.success(request, _("Profile saved."))
        return redirect("cities:detail", slug=city.slug)
    return render(request, "cities/form.html", {"city": city, "form": form, "title": _("City profile")})


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, slug, year=None):
    city = get_city_for(request.user, slug, write=True)
    instance = get_object_or_404(BudgetYear, city=city, year=year) if year else None
    form = BudgetYearForm(request.POST or None, instance=instance, city=city)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        services.save_budget_year(request.user, city, instance.year if instance else form.cleaned_data["year"], data)
        messages.success(request, _("Budget saved."))
        return redirect("cities:detail", slug=city.slug)
    title = _("Budget %(year)s") % {"year": year} if year else _("Add a budget year")
    return render(request, "cities/form.html", {"city": city, "form": form, "title": title})


@login_required
@require_http_methods(["POST"])
def budget_delete(request, slug, year):
    city = get_city_for(request.user, slug, write=True)
    services.delete_budget_year(request.user, get_object_or_404(BudgetYear, city=city, year=year))
    messages.success(request, _("Budget year deleted."))
    return redirect("cities:detail", slug=city.slug)


def _require_city_manager(user):
    if not roles.can_manage_cities(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def city_create(request):
    _require_city_manager(request.user)
    initial = {}
    place_id = request.GET.get("place")
    if place_id and place_id.isdigit():
        place = Place.objects.filter(pk=place_id).first()
        if place:
            initial = {
                "name": place.name,
                "slug": slugify(place.asciiname),
                "country": place.country,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "population": place.population,
                "population_source": "GeoNames",
                "timezone": place.timezone,
                "geonameid": place.geonameid,
            }
            country = Country.objects.filter(code=place.country).select_related("region").first()
            if country and country.region_id:
                initial["region"] = country.region_id
    form = CityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("membership_")}
        membership = {"kind": form.cleaned_data["membership_kind"], "since": form.cleaned_data["membership_since"]}
        city = services.create_city(request.user, data, membership)
        messages.success(request, _("City created."))
        return redirect("cities:detail", slug=city.slug)
    return render(request, "cities/city_create.html", {"form": form})


@login_required
def gazetteer_search(request):
    _require_city_manager(request.user)
    query = request.GET.get("q", "").strip()
    places = []
    if len(query) >= 2:
        places = list(
            Place.objects.filter(Q(name__istartswith=query) | Q(asciiname__istartswith=query)).order_by("-population")[
                :12
            ]
        )
    return render(request, "cities/_gazetteer_results.html", {"places": places, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, slug):
    _require_city_manager(request.user)
    city = get_city_for(request.user, slug)
    form = MembershipForm(request.POST or None, instance=Membership.objects.filter(city=city).first())
    if request.method == "POST" and form.is_valid():
        services.update_membership(request.user, city, form.cleaned_data)
        messages.success(request, _("Membership saved."))
        return redirect("cities:detail", slug=city.slug)
    return render(request, "cities/form.html", {"city": city, "form": form, "title": _("Membership")})
