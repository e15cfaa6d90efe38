from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceds.cities.models import BudgetYear, City, CityProfile, Country, Membership, Place, Region
from ceds.cities.signals import send_city_changed
from ceds.cities.staffing import with_coordinator_flag


class MembershipInline(admin.StackedInline):
    model = Membership


class ProfileInline(admin.StackedInline):
    model = CityProfile
    fk_name = "city"
    exclude = ["updated_by"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "country",
        "region",
        "population",
        "membership__kind",
        "membership__status",
        "has_coordinator",
    ]
    list_filter = ["region", "kind", "membership__kind", "membership__status"]
    search_fields = ["name", "slug", "country__name_en"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    inlines = [MembershipInline, ProfileInline]
    formfield_overrides = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}

    def get_queryset(self, request):
        return with_coordinator_flag(super().get_queryset(request))

    @admin.display(boolean=True, description=_("Active coordinator"), ordering="has_coordinator")
    def has_coordinator(self, city) -> bool:
        return city.has_coordinator

    def save_related(self, request, form, formsets, change):
        # After the inlines too: others copy the city's name, region, profile and membership.
        super().save_related(request, form, formsets, change)
        send_city_changed([form.instance.pk])


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "alpha3", "numeric", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_en", "alpha3"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "ordering"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "names" in form.changed_data:  # the leaderboard shows its cities' region by name
            send_city_changed(City.objects.filter(region=obj).values_list("pk", flat=True), {"region.names"})


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = ["city", "year", "currency", "planned", "actual"]
    list_filter = ["year", "city__region"]
    search_fields = ["city__name"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "population", "timezone"]
    search_fields = ["name", "asciiname"]
    list_filter = ["country"]
