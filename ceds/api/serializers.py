"""API representations. Serializers validate and present; writes go through the services."""

from rest_framework import serializers

from ceds.assessments.models import Answer, Assessment
from ceds.cities.models import BudgetYear, City, CityProfile
from ceds.core.i18n import localized
from ceds.frameworks.models import FrameworkVersion
from ceds.indices.models import ReferenceIndex, ReferenceValue
from ceds.solutions.models import Action, Module, Practice


class ProblemSerializer(serializers.Serializer):
    """Every error: RFC 9457 problem details plus the fields at fault."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


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
        fields = ["slug", "name", "kind", "country", "region", "latitude", "longitude", "population", "portal_url"]


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = CityProfile
        fields = ["population_band", "budget_band", "ict_staff", "internet_penetration", "income_group", "updated_at"]
        read_only_fields = ["updated_at"]


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


class AssessmentSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.slug")
    framework = serializers.CharField(source="framework_version.framework_id")
    version = serializers.IntegerField(source="framework_version.version")

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
        ]


class AssessmentCreateSerializer(serializers.Serializer):
    city = serializers.SlugField(help_text="The city's short name, e.g. seoul")
    framework = serializers.SlugField(default="ceds")
    version = serializers.IntegerField(required=False, min_value=1, help_text="Default: the latest")
    period = serializers.RegexField(r"^\d{4}(-[A-Za-z0-9]{1,8})?$", max_length=13, help_text="e.g. 2026 or 2026-H1")
    carry_forward = serializers.BooleanField(default=False, help_text="Copy the previous validated cycle's answers")


class PublishSerializer(serializers.Serializer):
    sharing = serializers.ChoiceField(choices=Assessment.Sharing.choices)


class ReturnCommentSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=16, help_text="Item code, e.g. GM-03")
    comment = serializers.CharField(max_length=4000)


class ReturnSerializer(serializers.Serializer):
    comments = ReturnCommentSerializer(many=True, allow_empty=False)


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")

    class Meta:
        model = Answer
        fields = ["item", "value", "version", "carried_forward", "updated_at"]


class AnswerWriteSerializer(serializers.Serializer):
    """The same fields as the answer form; which ones apply depends on the item's kind."""

    base_version = serializers.IntegerField(
        min_value=0, help_text="The answer's version you started from (0 when there was none)"
    )
    choice = serializers.ChoiceField(
        choices=["na", "dont_know", "clear"], required=False, help_text="Not applicable, don't know, or clear"
    )
    value = serializers.JSONField(required=False, help_text="level 1–5, a scale point, yes/no, a number or text")
    status = serializers.ChoiceField(
        choices=["absent", "planned", "developing", "operating", "na"], required=False, help_text="Service items"
    )
    level = serializers.IntegerField(min_value=1, max_value=5, required=False, help_text="Service items")
    utilization = serializers.IntegerField(min_value=0, max_value=100, required=False, help_text="Service items, %")
    systems = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="Service items")


class ConflictSerializer(ProblemSerializer):
    current = AnswerSerializer(allow_null=True, help_text="The answer someone else saved first")


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
    n = serializers.IntegerField(
        allow_null=True, help_text="Cities sharing their result in the group; null when the statistic is not shown"
    )
    shown = serializers.BooleanField(
        help_text="False when fewer than five cities share, or when the group's anonymous results could be "
        "narrowed to fewer than five cities (docs/methodology.md, Anonymity): nothing is disclosed"
    )
    q1 = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    q3 = serializers.FloatField(allow_null=True)
    best = serializers.FloatField(allow_null=True)
    percentile = serializers.FloatField(allow_null=True)


class ActionSerializer(serializers.ModelSerializer):
    module = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Action
        fields = ["id", "title", "owner", "due_date", "status", "note", "linked_items", "module", "created_at"]
        read_only_fields = ["id", "module", "created_at"]
        extra_kwargs = {"linked_items": {"help_text": "Item codes, e.g. ['GM-03']"}}

    def validate_linked_items(self, codes):
        known = self.context["item_codes"]
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise serializers.ValidationError("A list of item codes.")
        codes = [c.strip().upper() for c in codes]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise serializers.ValidationError(f"Not items of this framework: {', '.join(unknown)}")
        return codes


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


# -- reference indices -----------------------------------------------------------------------


class ReferenceIndexSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferenceIndex
        fields = ["code", "year", "name", "source", "components", "imported_at"]


class ReferenceValueSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id")
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))

    class Meta:
        model = ReferenceValue
        fields = ["country", "rank", "values"]
