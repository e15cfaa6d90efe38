from django import forms
from django.contrib import admin
from django.db import models

from ceds.cities.models import BudgetYear, City, CityProfile, Country, Membership, Place, Region
from ceds.cities.services import refresh_public_listing


class MembershipInline(admin.StackedInline):
    model = Membership


class ProfileInline(admin.StackedInline):
    model = CityProfile
    fk_name = "city"
    exclude = ["updated_by"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "region", "population", "membership__kind", "membership__status"]
    list_filter = ["region", "kind", "membership__kind", "membership__status"]
    search_fields = ["name", "slug", "country__name_en"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    inlines = [MembershipInline, ProfileInline]
    formfield_overrides = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        # After the inlines too: the map lists the city under its name, region and membership.
        super().save_related(request, form, formsets, change)
        refresh_public_listing(form.instance)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "alpha3", "numeric", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_en", "alpha3"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "ordering"]


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
