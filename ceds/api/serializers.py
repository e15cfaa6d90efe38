"""API representations. Serializers validate and present; writes go through the services."""

import dataclasses
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from ceds.assessments.models import Answer, Assessment
from ceds.assessments.services import PERIOD_PATTERN
from ceds.cities.models import BudgetYear, City, CityProfile, NationalPlatform
from ceds.cities.timezones import validate_timezone
from ceds.core.i18n import localized
from ceds.frameworks.models import FrameworkVersion
from ceds.indices.models import ReferenceIndex, ReferenceValue
from ceds.solutions.forms import linked_items
from ceds.solutions.models import Action, Module, Practice

# -- strict JSON types: "40" is not a number, {} is not a choice, 1 is not a boolean -----------


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A JSON number in, a decimal string out (as every money amount the API returns)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(Decimal(str(data)))


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


def _const(value: str):
    """A string field that only ever holds `value` (a discriminator)."""
    field = type(f"{value.title()}KindField", (StrictCharField,), {})
    return extend_schema_field({"type": "string", "enum": [value]})(field)()


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field or parameter at fault ('' for the request as a whole)")
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Every error: RFC 9457 problem details plus the fields at fault."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="Machine-readable: invalid, not_found, incomplete, invalid_transition, …")
    detail = serializers.CharField()
    errors = ProblemErrorSerializer(many=True)


# -- frameworks ------------------------------------------------------------------------------


class FrameworkVersionSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework_id")
    title = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkVersion
        fields = ["framework", "version", "title", "items", "checksum"]

    def get_title(self, version) -> str:
        return version.name

    def get_items(self, version) -> int:
        return sum(len(s["items"]) for p in version.definition["parts"] for g in p["groups"] for s in g["sections"])


class FrameworkDefinitionSerializer(FrameworkVersionSerializer):
    definition = serializers.JSONField(help_text="The framework as the engine reads it: parts, groups, sections, items")

    class Meta(FrameworkVersionSerializer.Meta):
        fields = [*FrameworkVersionSerializer.Meta.fields, "definition"]


# -- cities ----------------------------------------------------------------------------------


class CitySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id")
    region = serializers.CharField(source="region.code")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)

    class Meta:
        model = City
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "region",
            "latitude",
            "longitude",
            "population",
            "portal_url",
            "timezone",
        ]


class ProfileSerializer(serializers.ModelSerializer):
    timezone = serializers.CharField(
        source="city.timezone", read_only=True, help_text="The city's IANA time zone; due dates end at midnight there"
    )

    class Meta:
        model = CityProfile
        fields = [*CityProfile.EDITABLE_FIELDS, "timezone", "updated_at"]
        read_only_fields = ["updated_at"]


class ProfileWriteSerializer(serializers.Serializer):
    """What the profile form requires; the form then applies the city rules."""

    population_band = StrictChoiceField(choices=CityProfile._meta.get_field("population_band").choices)
    budget_band = StrictChoiceField(choices=CityProfile._meta.get_field("budget_band").choices)
    ict_staff = StrictIntegerField(min_value=0, max_value=2147483647, help_text="Full-time equivalents")
    internet_penetration = StrictIntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, help_text="Residents using the internet, %"
    )
    income_group = StrictChoiceField(
        choices=CityProfile._meta.get_field("income_group").choices,
        required=False,
        allow_blank=True,
        help_text="World Bank income group; '' or absent for none",
    )
    national_platforms = serializers.ListField(
        child=StrictChoiceField(choices=NationalPlatform.choices),
        required=False,
        help_text="National shared systems serving the city (the roadmap plans joining them)",
    )
    new_projects_share = StrictIntegerField(
        min_value=0,
        max_value=100,
        required=False,
        help_text="% of the latest planned budget and of the ICT staff the roadmap assumes by default (30 if absent)",
    )
    timezone = StrictCharField(
        max_length=64,
        required=False,
        validators=[validate_timezone],
        help_text="IANA time zone, e.g. Asia/Seoul; due dates end at midnight there (unchanged if absent)",
    )


MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal(0), "coerce_to_string": False}


class BudgetWriteSerializer(serializers.Serializer):
    """One year's budget: amounts as JSON numbers, at most two decimals."""

    currency = StrictCharField(min_length=3, max_length=3, help_text="ISO 4217, e.g. KRW")
    planned = StrictDecimalField(**MONEY)
    actual = StrictDecimalField(**MONEY, required=False, allow_null=True)
    planned_admin = StrictDecimalField(**MONEY, required=False, allow_null=True)
    actual_admin = StrictDecimalField(**MONEY, required=False, allow_null=True)
    planned_life = StrictDecimalField(**MONEY, required=False, allow_null=True)
    actual_life = StrictDecimalField(**MONEY, required=False, allow_null=True)
    planned_industry = StrictDecimalField(**MONEY, required=False, allow_null=True)
    actual_industry = StrictDecimalField(**MONEY, required=False, allow_null=True)
    planned_infra = StrictDecimalField(**MONEY, required=False, allow_null=True)
    actual_infra = StrictDecimalField(**MONEY, required=False, allow_null=True)


class BudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetYear
        exclude = ["id", "city"]
        read_only_fields = ["year"]


class CityDetailSerializer(CitySerializer):
    profile = ProfileSerializer(
        allow_null=True, help_text="Only for members of the city, its region and the secretariat"
    )
    budgets = BudgetSerializer(many=True, allow_null=True)

    class Meta(CitySerializer.Meta):
        fields = [*CitySerializer.Meta.fields, "profile", "budgets"]


# -- assessments -----------------------------------------------------------------------------


class AssessmentLinksSerializer(serializers.Serializer):
    answers = serializers.CharField(help_text="The answers")
    scores = serializers.CharField(help_text="The scores (404 until there are results you may see)")
    report = serializers.CharField(help_text="The report as PDF (same rule as the scores)")
    actions = serializers.CharField(help_text="The action plan")
    benchmarks = serializers.CharField(help_text="Peer statistics (validated results only)")
    open_data = serializers.CharField(
        allow_null=True, help_text="The open-data dataset of this framework and period (results published by name)"
    )


class AssessmentSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.slug")
    framework = serializers.CharField(source="framework_version.framework_id")
    version = serializers.IntegerField(source="framework_version.version")
    links = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "city",
            "framework",
            "version",
            "period",
            "status",
            "sharing",
            "created_at",
            "updated_at",
            "submitted_at",
            "validated_at",
            "published_at",
            "is_demo",
            "links",
        ]

    def get_links(self, assessment) -> AssessmentLinksSerializer:
        pk = assessment.pk
        links = {
            name: reverse(f"api:{name}", args=[pk]) for name in ("answers", "scores", "report", "actions", "benchmarks")
        }
        published_by_name = assessment.status == Assessment.Status.PUBLISHED and assessment.sharing == "named"
        framework = assessment.framework_version.framework_id
        links["open_data"] = (
            reverse("api:open_data_json", args=[framework, assessment.period]) if published_by_name else None
        )
        return links


class AssessmentCreateSerializer(serializers.Serializer):
    city = StrictCharField(max_length=80, help_text="The city's short name, e.g. seoul")
    framework = StrictCharField(max_length=40, default="ceds")
    version = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=32767,
        help_text="Default: the latest; a new cycle on an older version is refused (outdated_version)",
    )
    period = serializers.RegexField(
        rf"^{PERIOD_PATTERN}$",
        max_length=7,
        help_text="A year from 2000 to 2099, optionally a half or quarter: 2026, 2026-H1, 2026-Q3",
        error_messages={
            "invalid": _("A year from 2000 to 2099, optionally a half or quarter: 2026, 2026-H1, 2026-Q3.")
        },
    )
    carry_forward = StrictBooleanField(default=False, help_text="Copy the previous validated cycle's answers")

    def validate_period(self, value):
        if not isinstance(self.initial_data.get("period"), str):
            raise serializers.ValidationError(_("A string such as 2026."))
        return value


class ReopenSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=2000, help_text="Why the result is corrected; printed in the amended report's errata note"
    )


class PublishSerializer(serializers.Serializer):
    sharing = StrictChoiceField(choices=Assessment.Sharing.choices)


class ReturnCommentSerializer(serializers.Serializer):
    item = StrictCharField(max_length=16, help_text="Item code, e.g. GM-03")
    comment = StrictCharField(max_length=4000, help_text="What to change (not blank)")


class ReturnSerializer(serializers.Serializer):
    comments = serializers.ListField(child=ReturnCommentSerializer(), min_length=1, max_length=1000)


# -- answers: one shape per item kind, the same both ways -------------------------------------
#
# What a read returns, with `base_version` added, is a valid write: `kind` says which branch.

KINDS = ("level", "scale", "binary", "number", "text", "service")
NA_OR_DONT_KNOW = ["na", "dont_know"]


class _AnswerRead(serializers.Serializer):
    item = serializers.CharField(help_text="Item code, e.g. GM-03")
    version = serializers.IntegerField(help_text="Send it back as base_version when you change the answer")
    carried_forward = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


def _read(kind: str, fields: dict, doc: str):
    return type(f"{kind.title()}Answer", (_AnswerRead,), {"kind": _const(kind), **fields, "__doc__": doc})


def _write(kind: str, fields: dict, doc: str):
    base = {
        "kind": _const(kind),
        "base_version": StrictIntegerField(
            min_value=0, max_value=2147483647, help_text="The version you started from (0 when there was none)"
        ),
    }
    return type(f"{kind.title()}AnswerWrite", (serializers.Serializer,), {**base, **fields, "__doc__": doc})


def _choice(choices, doc):
    return StrictChoiceField(choices=choices, required=False, allow_null=True, help_text=doc)


ANSWER_READ = {
    "level": _read(
        "level",
        {
            "value": serializers.IntegerField(min_value=1, max_value=5, allow_null=True),
            "choice": serializers.ChoiceField(choices=NA_OR_DONT_KNOW, allow_null=True),
        },
        "A level item: `value` 1–5, or `choice` na / dont_know (then `value` is null).",
    ),
    "scale": _read(
        "scale",
        {
            "value": serializers.IntegerField(allow_null=True, help_text="A point of the item's scale"),
            "choice": serializers.ChoiceField(choices=["na"], allow_null=True),
        },
        "A scale item: `value` between the item's points.min and points.max, or `choice` na.",
    ),
    "binary": _read(
        "binary",
        {
            "value": serializers.BooleanField(allow_null=True),
            "choice": serializers.ChoiceField(choices=["na"], allow_null=True),
        },
        "A yes/no item.",
    ),
    "number": _read(
        "number",
        {
            "value": serializers.FloatField(allow_null=True),
            "choice": serializers.ChoiceField(choices=["na"], allow_null=True),
        },
        "A number item (in the item's unit).",
    ),
    "text": _read("text", {"value": serializers.CharField(max_length=4000)}, "A free-text item."),
    "service": _read(
        "service",
        {
            "status": serializers.ChoiceField(choices=["absent", "planned", "developing", "operating", "na"]),
            "level": serializers.IntegerField(min_value=1, max_value=5, allow_null=True),
            "utilization": serializers.IntegerField(min_value=0, max_value=100, allow_null=True),
            "systems": serializers.CharField(max_length=300, allow_blank=True),
        },
        "A service item: its status (na: not applicable), level 1–5, utilization % and systems.",
    ),
}

ANSWER_WRITE = {
    "level": _write(
        "level",
        {
            "value": StrictIntegerField(min_value=1, max_value=5, required=False, allow_null=True),
            "choice": _choice(["na", "dont_know", "clear"], "Instead of a value; clear removes the answer"),
        },
        "A level item: `value` 1–5, or a `choice`.",
    ),
    "scale": _write(
        "scale",
        {
            "value": StrictIntegerField(min_value=0, max_value=100, required=False, allow_null=True),
            "choice": _choice(["na", "clear"], "Instead of a value; clear removes the answer"),
        },
        "A scale item: `value` between the item's points.min and points.max, or a `choice`.",
    ),
    "binary": _write(
        "binary",
        {
            "value": StrictBooleanField(required=False, allow_null=True),
            "choice": _choice(["na", "clear"], "Instead of a value; clear removes the answer"),
        },
        "A yes/no item.",
    ),
    "number": _write(
        "number",
        {
            "value": StrictFloatField(min_value=-1e15, max_value=1e15, required=False, allow_null=True),
            "choice": _choice(["na", "clear"], "Instead of a value; clear removes the answer"),
        },
        "A number item.",
    ),
    "text": _write(
        "text",
        {
            "value": StrictCharField(max_length=4000, required=False, allow_blank=True, help_text="'' clears it"),
            "choice": _choice(["clear"], "Removes the answer"),
        },
        "A free-text item.",
    ),
    "service": _write(
        "service",
        {
            "status": StrictChoiceField(
                choices=["absent", "planned", "developing", "operating", "na"], required=False, allow_null=True
            ),
            "level": StrictIntegerField(min_value=1, max_value=5, required=False, allow_null=True),
            "utilization": StrictIntegerField(min_value=0, max_value=100, required=False, allow_null=True),
            "systems": StrictCharField(max_length=300, required=False, allow_blank=True),
            "choice": _choice(["na", "clear"], "Instead of a status; clear removes the answer"),
        },
        "A service item: `status`; `level` when developing or operating; `utilization` only when operating.",
    ),
}

AnswerSerializer = PolymorphicProxySerializer(
    component_name="Answer", serializers=ANSWER_READ, resource_type_field_name="kind"
)
AnswerListSerializer = PolymorphicProxySerializer(
    component_name="Answer", serializers=ANSWER_READ, resource_type_field_name="kind", many=True
)
AnswerWriteSerializer = PolymorphicProxySerializer(
    component_name="AnswerWrite", serializers=ANSWER_WRITE, resource_type_field_name="kind"
)


@extend_schema_field(AnswerSerializer)
class _AnswerJSONField(serializers.JSONField):
    """An answer already in its API shape (answer_data)."""


def answer_data(answer: Answer) -> dict:
    """The API shape of a stored answer (see ANSWER_READ)."""
    kind, value = answer.item.kind, answer.value or {}
    out = {
        "item": answer.item.code,
        "kind": kind,
        "version": answer.version,
        "carried_forward": answer.carried_forward,
        "updated_at": serializers.DateTimeField().to_representation(answer.updated_at),
    }
    if kind == "service":
        out.update(
            status="na" if value.get("na") else value.get("status"),
            level=value.get("level"),
            utilization=value.get("utilization"),
            systems=value.get("systems", ""),
        )
    elif kind == "text":
        out["value"] = value.get("value", "")
    else:
        choice = "na" if value.get("na") else "dont_know" if value.get("dont_know") else None
        out.update(value=None if choice else value.get("value"), choice=choice)
    return out


def form_data(kind: str, data: dict) -> dict:
    """A validated write as the form parser reads it (strings), so pages and API share one parser."""
    out = {}
    for key, value in data.items():
        if key in ("kind", "base_version") or value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


class ConflictSerializer(ProblemSerializer):
    current = _AnswerJSONField(allow_null=True, help_text="The answer someone else saved first (null: they cleared it)")


class FigureSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    answered = serializers.IntegerField()
    applicable = serializers.IntegerField()
    complete = serializers.BooleanField()


class ScoresSerializer(serializers.Serializer):
    provisional = serializers.BooleanField(help_text="True for a draft's figures: computed now, not validated")
    computed_at = serializers.DateTimeField(allow_null=True)
    overall_score = serializers.FloatField(allow_null=True)
    overall_level = serializers.IntegerField(allow_null=True)
    figures = FigureSummarySerializer(many=True)


class ContributionSerializer(serializers.Serializer):
    key = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField()
    share = serializers.FloatField()
    points = serializers.FloatField(allow_null=True)


class ExplanationSerializer(FigureSummarySerializer):
    provisional = serializers.BooleanField()
    name = serializers.CharField()
    contributions = ContributionSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class PeerFigureSerializer(serializers.Serializer):
    figure = serializers.CharField()
    group_kind = serializers.CharField()
    group_value = serializers.CharField()
    n = serializers.IntegerField(help_text="Cities sharing their result in the group")
    shown = serializers.BooleanField(help_text="False when fewer than five cities share: nothing is disclosed")
    q1 = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    q3 = serializers.FloatField(allow_null=True)
    best = serializers.FloatField(allow_null=True)
    percentile = serializers.FloatField(allow_null=True)


class TargetSerializer(serializers.Serializer):
    level = StrictIntegerField(
        allow_null=True, help_text="One of the framework's levels (1–5 in CeDS); null: none, the plan's default"
    )


class ActionSerializer(serializers.ModelSerializer):
    module = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Action
        fields = ["id", "title", "owner", "due_date", "status", "note", "linked_items", "module", "created_at"]
        read_only_fields = ["id", "module", "created_at"]
        extra_kwargs = {"linked_items": {"help_text": "Item codes, e.g. ['GM-03']"}}

    def validate_linked_items(self, codes):
        try:
            return linked_items(codes, self.context["item_codes"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


# -- solutions -------------------------------------------------------------------------------


class ModuleSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    prerequisites = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["code", "title", "cost_band", "duration_months", "prerequisites"]

    def get_title(self, module) -> str:
        return localized(module.title)


class ModuleDetailSerializer(ModuleSerializer):
    data = serializers.JSONField(help_text="The module as written: steps, raises, outcomes, sources")

    class Meta(ModuleSerializer.Meta):
        fields = [*ModuleSerializer.Meta.fields, "data"]


class PracticeSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = ["code", "title", "city_name", "country", "year", "origin"]

    def get_title(self, practice) -> str:
        return localized(practice.title)


class PracticeDetailSerializer(PracticeSerializer):
    data = serializers.JSONField()

    class Meta(PracticeSerializer.Meta):
        fields = [*PracticeSerializer.Meta.fields, "data"]


# -- open data -------------------------------------------------------------------------------


class DataColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["string", "number", "integer", "date"])
    description = serializers.CharField()


class OpenDataLinksSerializer(serializers.Serializer):
    csv = serializers.CharField()
    json = serializers.CharField()
    xlsx = serializers.CharField()


class OpenDatasetSerializer(serializers.Serializer):
    framework = serializers.CharField()
    period = serializers.CharField()
    cities = serializers.IntegerField()
    links = OpenDataLinksSerializer(help_text="The dataset in each format")


class OpenDataIndexSerializer(serializers.Serializer):
    licence = serializers.CharField()
    attribution = serializers.CharField()
    datasets = OpenDatasetSerializer(many=True)


class DataDictionarySerializer(serializers.Serializer):
    licence = serializers.CharField()
    columns = DataColumnSerializer(many=True)


class OpenDataDocumentSerializer(serializers.Serializer):
    framework = serializers.CharField()
    period = serializers.CharField()
    licence = serializers.CharField()
    attribution = serializers.CharField()
    columns = DataColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(allow_null=True), help_text="One object per city; keys are the column names"
    )


# -- reference indices -----------------------------------------------------------------------


class ReferenceIndexSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = ReferenceIndex
        fields = ["code", "year", "name", "source", "components", "imported_at"]


class ReferenceValueSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id")
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))

    class Meta:
        model = ReferenceValue
        # city and geonameid (the gazetteer place) are set for a city-level index such as LOSI.
        fields = ["country", "city", "geonameid", "rank", "level", "values"]


# -- the plan ---------------------------------------------------------------------------------


class PlanGapSerializer(serializers.Serializer):
    item = serializers.CharField()
    section = serializers.CharField()
    current = serializers.IntegerField(help_text="Level now")
    target = serializers.IntegerField()
    gap = serializers.IntegerField()
    weight = serializers.FloatField()
    foundation = serializers.FloatField(help_text="1-2: how much of the library builds on the closing module")
    priority = serializers.FloatField(help_text="weight × gap × foundation")
    closed_by = serializers.ListField(child=serializers.CharField())


class PlanCostSerializer(serializers.Serializer):
    one_off = serializers.FloatField(help_text="USD, for the city's population band")
    yearly = serializers.FloatField(help_text="USD a year once in place")
    staff = serializers.FloatField()
    years = serializers.IntegerField()
    route = serializers.ChoiceField(choices=["own", "cheaper"])


class PlanRecommendationSerializer(serializers.Serializer):
    module = serializers.CharField()
    necessary = serializers.BooleanField()
    reasonable = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it is necessary and why it fits")
    unsuited = serializers.ListField(child=serializers.CharField(), help_text="The conditions it does not meet")
    closes = serializers.ListField(child=serializers.CharField())
    cost = PlanCostSerializer()


class PlanYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    starting = serializers.ListField(child=serializers.CharField())
    building = serializers.ListField(child=serializers.CharField())
    completing = serializers.ListField(child=serializers.CharField())
    cost = serializers.FloatField(help_text="USD: one-off costs of modules being built plus running costs")
    staff = serializers.FloatField()
    score = serializers.FloatField(allow_null=True, help_text="Expected overall score at the end of the year")


class PlanExclusionSerializer(serializers.Serializer):
    module = serializers.CharField()
    reason = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    horizon = serializers.IntegerField()
    budget = serializers.JSONField(help_text='Yearly USD used, or "unlimited"')
    staff = serializers.JSONField(help_text='Staff used, or "unlimited"')
    baseline_score = serializers.FloatField(allow_null=True)
    planned_score = serializers.FloatField(allow_null=True)
    optimal = serializers.BooleanField(help_text="The solver proved the roadmap optimal")
    gap = serializers.FloatField(help_text="When not optimal: the share by which a better roadmap could score higher")
    gaps = PlanGapSerializer(many=True)
    recommendations = PlanRecommendationSerializer(many=True)
    roadmap = PlanYearSerializer(many=True)
    done = serializers.ListField(child=serializers.CharField(), help_text="Modules the answers show in place")
    excluded = PlanExclusionSerializer(many=True)


def plan_document(plan) -> dict:
    """A solutions.services.Plan as the API's plain document (necessary/reasonable as booleans)."""
    roadmap = plan.roadmap
    return {
        "horizon": plan.horizon,
        "budget": plan.budget,
        "staff": plan.staff,
        "baseline_score": roadmap.baseline if roadmap else None,
        "planned_score": roadmap.planned_score if roadmap else None,
        "optimal": bool(roadmap and roadmap.exact),
        "gap": roadmap.gap if roadmap else 0.0,
        "gaps": [
            {
                "item": g.code,
                "section": g.section,
                "current": g.current,
                "target": g.target,
                "gap": g.gap,
                "weight": g.weight,
                "foundation": round(g.foundation, 4),
                "priority": g.priority,
                "closed_by": g.closing,
            }
            for g in plan.gaps
        ],
        "recommendations": [
            {
                "module": r.code,
                "necessary": r.necessary,
                "reasonable": r.reasonable,
                "reasons": [str(x) for x in r.reasons],
                "unsuited": [str(x) for x in r.unsuited],
                "closes": [g.code for g in r.closes],
                "cost": dataclasses.asdict(plan.efforts[r.code]),
            }
            for r in plan.recommendations
        ],
        "roadmap": roadmap.years if roadmap else [],
        "done": plan.done,
        "excluded": [{"module": c, "reason": why} for c, why in (roadmap.left_out if roadmap else {}).items()],
    }
