"""The REST API, version 1. Views orchestrate: look up with the same access rules as the
pages (ceds.tenancy.access), validate with a serializer, call the same service, present."""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from ceds.accounts import roles
from ceds.api import filters as api_filters
from ceds.api import opendata
from ceds.api import serializers as s
from ceds.api.errors import problem
from ceds.api.models import OpenDataLicence
from ceds.assessments import services as workflow
from ceds.assessments.answers import AnswerError, parse_answer
from ceds.assessments.models import Answer, Assessment
from ceds.assessments.presenters import figure_names
from ceds.benchmarks.results import current_scores, peer_table, results_for
from ceds.cities.forms import BudgetYearForm, CityProfileForm
from ceds.cities.models import DEFAULT_NEW_PROJECTS_SHARE, City
from ceds.cities.services import save_budget_year, update_profile
from ceds.core import downloads
from ceds.frameworks.models import FrameworkVersion, Item, Section
from ceds.indices.models import ReferenceIndex, ReferenceValue
from ceds.reports.pdf import render_pdf
from ceds.solutions import services as solutions
from ceds.solutions.forms import RoadmapForm
from ceds.solutions.models import Action, Module, Practice
from ceds.tenancy.access import get_assessment_for, get_city_for

PUBLIC = [permissions.AllowAny]
SIGNED_IN = [permissions.IsAuthenticated]


def _invalid(errors: dict) -> serializers.ValidationError:
    return serializers.ValidationError({field: list(messages) for field, messages in errors.items()})


# -- frameworks ------------------------------------------------------------------------------


@extend_schema(tags=["frameworks"], summary="Framework versions")
class FrameworkList(generics.ListAPIView):
    permission_classes = PUBLIC
    serializer_class = s.FrameworkVersionSerializer
    queryset = FrameworkVersion.objects.order_by("framework_id", "-version").defer("crosswalk")


@extend_schema(tags=["frameworks"], summary="One framework version with its items")
class FrameworkDetail(generics.RetrieveAPIView):
    permission_classes = PUBLIC
    serializer_class = s.FrameworkDefinitionSerializer

    def get_object(self):
        return get_object_or_404(
            FrameworkVersion, framework_id=self.kwargs["framework"], version=self.kwargs["version"]
        )


# -- cities ----------------------------------------------------------------------------------


@extend_schema(tags=["cities"], summary="Cities (public facts)")
class CityList(generics.ListAPIView):
    permission_classes = PUBLIC
    serializer_class = s.CitySerializer
    queryset = City.objects.select_related("region").order_by("name", "pk")
    filterset_class = api_filters.CityFilter


@extend_schema(tags=["cities"], summary="One city; profile and budgets for those who may read the city")
class CityDetail(generics.RetrieveAPIView):
    permission_classes = PUBLIC
    serializer_class = s.CityDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        city = get_object_or_404(City.objects.select_related("region"), slug=kwargs["slug"])
        data = s.CitySerializer(city).data
        readable = roles.readable_cities(request.user, City.objects.filter(pk=city.pk)).exists()
        profile = getattr(city, "profile", None) if readable else None
        data["profile"] = s.ProfileSerializer(profile).data if profile else None
        data["budgets"] = s.BudgetSerializer(city.budget_years.order_by("year"), many=True).data if readable else None
        return Response(data)


def _strings(data: dict) -> dict:
    """Validated JSON values as a form reads them (the form applies the rules pages apply)."""
    return {k: v if isinstance(v, list) else "" if v is None else str(v) for k, v in data.items()}


@extend_schema(tags=["cities"], summary="Change the city's profile (city coordinator)")
class CityProfileUpdate(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(request=s.ProfileWriteSerializer, responses={200: s.ProfileSerializer})
    def put(self, request, slug):
        city = get_city_for(request.user, slug, write=True)
        body = s.ProfileWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        current = getattr(city, "profile", None)
        # Fields a client leaves out keep their stored value (a PUT from before they existed stays valid).
        kept = {
            "national_platforms": current.national_platforms if current else [],
            "new_projects_share": current.new_projects_share if current else DEFAULT_NEW_PROJECTS_SHARE,
            "timezone": city.timezone,
        }
        form = CityProfileForm({**_strings(kept), **_strings(body.validated_data)}, instance=current, city=city)
        if not form.is_valid():
            raise _invalid(form.errors)
        profile = update_profile(request.user, city, form.profile_data())
        return Response(s.ProfileSerializer(profile).data)


@extend_schema(tags=["cities"], summary="Create or change one year's budget (city coordinator)")
class CityBudgetUpdate(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(request=s.BudgetWriteSerializer, responses={200: s.BudgetSerializer})
    def put(self, request, slug, year):
        city = get_city_for(request.user, slug, write=True)
        body = s.BudgetWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        existing = city.budget_years.filter(year=year).first()
        form = BudgetYearForm({**_strings(body.validated_data), "year": year}, instance=existing, city=city)
        if not form.is_valid():
            raise _invalid(form.errors)
        data = {f: v for f, v in form.cleaned_data.items() if f != "year"}
        return Response(s.BudgetSerializer(save_budget_year(request.user, city, year, data)).data)


# -- assessments -----------------------------------------------------------------------------


@extend_schema(tags=["assessments"])
class AssessmentList(generics.ListCreateAPIView):
    permission_classes = SIGNED_IN
    serializer_class = s.AssessmentSerializer
    filterset_class = api_filters.AssessmentFilter

    def get_queryset(self):
        cities = roles.readable_cities(self.request.user, City.objects.all())
        return (
            Assessment.objects.filter(city__in=cities)
            .select_related("city", "framework_version")
            .defer("framework_version__definition", "framework_version__crosswalk")
            .order_by("-period", "city__slug", "pk")
        )

    @extend_schema(summary="Assessments of the cities you may read")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Open an assessment (city coordinator)",
        request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentSerializer},
    )
    def post(self, request, *args, **kwargs):
        form = s.AssessmentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        city = get_city_for(request.user, data["city"])
        versions = FrameworkVersion.objects.filter(framework_id=data["framework"])
        if "version" in data:
            versions = versions.filter(version=data["version"])
        version = versions.order_by("-version").first()
        if version is None:
            raise serializers.ValidationError({"framework": ["No such framework version."]})
        assessment = workflow.open_assessment(request.user, city, version, data["period"], data["carry_forward"])
        return Response(s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["assessments"], summary="One assessment")
class AssessmentDetail(generics.RetrieveAPIView):
    permission_classes = SIGNED_IN
    serializer_class = s.AssessmentSerializer

    def get_object(self):
        return get_assessment_for(self.request.user, self.kwargs["pk"])


class _Transition(APIView):
    """A workflow step as a POST; the service decides who may take it and when."""

    permission_classes = SIGNED_IN

    def act(self, request, assessment):
        raise NotImplementedError

    def post(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        self.act(request, assessment)
        assessment.refresh_from_db()
        return Response(s.AssessmentSerializer(assessment).data)


@extend_schema(
    tags=["workflow"],
    summary="Submit for validation (city coordinator)",
    request=None,
    responses=s.AssessmentSerializer,
)
class Submit(_Transition):
    def act(self, request, assessment):
        workflow.submit(request.user, assessment)


@extend_schema(
    tags=["workflow"],
    summary="Validate a submission (regional coordinator or secretariat)",
    request=None,
    responses=s.AssessmentSerializer,
)
class Validate(_Transition):
    def act(self, request, assessment):
        workflow.validate(request.user, assessment)


@extend_schema(
    tags=["workflow"],
    summary="Return a submission with comments (regional coordinator or secretariat)",
    request=s.ReturnSerializer,
    responses=s.AssessmentSerializer,
)
class Return(_Transition):
    def act(self, request, assessment):
        form = s.ReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        items = {i.code: i for i in Item.objects.filter(framework_version=assessment.framework_version_id)}
        unknown = [c["item"] for c in form.validated_data["comments"] if c["item"] not in items]
        if unknown:
            raise serializers.ValidationError(
                {"comments": [_("Not items of this framework: %(codes)s") % {"codes": ", ".join(unknown)}]}
            )
        workflow.return_assessment(
            request.user, assessment, {items[c["item"]]: c["comment"] for c in form.validated_data["comments"]}
        )


@extend_schema(
    tags=["workflow"],
    summary="Reopen a validated or published result for a correction, with a reason (secretariat)",
    request=s.ReopenSerializer,
    responses=s.AssessmentSerializer,
)
class Reopen(_Transition):
    def act(self, request, assessment):
        form = s.ReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        workflow.reopen(request.user, assessment, form.validated_data["reason"])


@extend_schema(
    tags=["workflow"],
    summary="Publish, or change the sharing level (city coordinator)",
    request=s.PublishSerializer,
    responses=s.AssessmentSerializer,
)
class Publish(_Transition):
    def act(self, request, assessment):
        form = s.PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        workflow.publish(request.user, assessment, form.validated_data["sharing"])


# -- answers ---------------------------------------------------------------------------------


@extend_schema(tags=["answers"], summary="All answers of an assessment")
class AnswerList(generics.ListAPIView):
    permission_classes = SIGNED_IN
    queryset = Answer.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = s.ANSWER_READ["level"]  # for the schema generator; the response is a union

    def get_queryset(self):
        assessment = get_assessment_for(self.request.user, self.kwargs["pk"])
        return Answer.objects.filter(assessment=assessment).select_related("item").order_by("item__position", "pk")

    @extend_schema(responses={200: s.AnswerListSerializer})
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([s.answer_data(a) for a in page])


@extend_schema(tags=["answers"])
class AnswerDetail(APIView):
    permission_classes = SIGNED_IN

    def _item(self, assessment, code):
        return get_object_or_404(
            Item.objects.select_related("section"), framework_version=assessment.framework_version_id, code=code
        )

    @extend_schema(summary="One answer", responses={200: s.AnswerSerializer})
    def get(self, request, pk, code):
        assessment = get_assessment_for(request.user, pk)
        answer = get_object_or_404(Answer.objects.select_related("item"), assessment=assessment, item__code=code)
        return Response(s.answer_data(answer))

    @extend_schema(
        summary="Save one answer if nobody changed it since base_version",
        description="The body is the answer as read (`kind` must be the item's kind) with `base_version`.",
        request=s.AnswerWriteSerializer,
        responses={
            200: OpenApiResponse(s.AnswerSerializer, description="The answer as saved"),
            204: OpenApiResponse(description="The answer was cleared"),
            409: OpenApiResponse(
                s.ConflictSerializer,
                description="Someone saved it first (`code` conflict, `current` is theirs), "
                "or the assessment can no longer be changed (`code` assessment_locked)",
            ),
        },
    )
    def put(self, request, pk, code):
        assessment = get_assessment_for(request.user, pk)
        item = self._item(assessment, code)
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"": ["Send a JSON object."]})
        kind = request.data.get("kind")
        if kind != item.kind:
            raise serializers.ValidationError({"kind": [f"This item's kind is {item.kind}."]})
        form = s.ANSWER_WRITE[item.kind](data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        base_version = data.pop("base_version")
        try:
            value = parse_answer(item.data, s.form_data(item.kind, data))
        except AnswerError as error:
            raise serializers.ValidationError({error.field: [str(error)]}) from None
        try:
            answer = workflow.save_answer(request.user, assessment, item, value, base_version)
        except workflow.AnswerConflict as conflict:
            current = conflict.current
            if current is not None:
                current.item = item
            return problem(
                409,
                "Someone saved this answer after the version you started from; reload it and decide.",
                [{"field": "base_version", "message": f"current version is {current.version if current else 0}"}],
                current=s.answer_data(current) if current else None,
            )
        if answer is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        answer.item = item
        return Response(s.answer_data(answer))


# -- results ---------------------------------------------------------------------------------


def _results(request, assessment):
    results = results_for(assessment, roles.can_see_provisional(request.user, assessment))
    if results is None:
        raise Http404
    return results


SUMMARY = ("key", "score", "level", "answered", "applicable", "complete")


@extend_schema(tags=["results"], summary="Scores: stored when validated; provisional (computed now) for a draft")
class Scores(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(responses=s.ScoresSerializer)
    def get(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        results = _results(request, assessment)
        overall = results.figures.get("overall") or {}
        return Response(
            {
                "provisional": results.provisional,
                "computed_at": results.computed_at,
                "overall_score": overall.get("score"),
                "overall_level": overall.get("level"),
                "figures": [{k: figure.get(k) for k in SUMMARY} for figure in results.figures.values()],
            }
        )


@extend_schema(
    tags=["results"],
    summary="Why a figure is what it is: its contributions and notes",
)
class Explanation(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(responses=s.ExplanationSerializer, operation_id="assessments_explanation")
    def get(self, request, pk, key):
        assessment = get_assessment_for(request.user, pk)
        results = _results(request, assessment)
        figure = results.figures.get(key)
        if figure is None:
            raise Http404
        names = figure_names(assessment.framework_version.definition)
        return Response(
            {
                **{k: figure.get(k) for k in SUMMARY},
                "provisional": results.provisional,
                "name": names.get(key, key),
                "contributions": figure.get("contributions", []),
                "notes": [str(n) for n in figure.get("notes", [])],
            }
        )


@extend_schema(
    tags=["results"],
    summary="Peer statistics (validated results only; hidden where they could expose an anonymous city)",
    description="One row per figure and peer group of the city, from the first read after validation: "
    "a group the k ≥ 5 rule hides (docs/methodology.md, Anonymity) says `shown: false` and gives only its count `n`.",
)
class Benchmarks(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(responses={200: OpenApiResponse(s.PeerFigureSerializer(many=True), description="The peer table")})
    def get(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        scores = current_scores(assessment)
        if scores is None:
            raise Http404
        return Response([{"figure": key, **peer.__dict__} for key, peer in peer_table(assessment, scores)])


def _capacity_parameter(name: str, maximum: int, what: str) -> OpenApiParameter:
    """A roadmap capacity in the query: a number from 0 to `maximum`, or "unlimited" (RoadmapForm's rule)."""
    return OpenApiParameter(
        name,
        {"oneOf": [{"type": "number", "minimum": 0, "maximum": maximum}, {"type": "string", "enum": ["unlimited"]}]},
        description=f"{what}, 0-{maximum:,}, or `unlimited` (default: the city's)",
    )


@extend_schema(
    tags=["solutions"],
    summary="The plan: key gaps, recommended modules, the roadmap year by year, modules done and left out",
    parameters=[
        OpenApiParameter(
            "horizon", {"type": "integer", "minimum": 1, "maximum": 10}, description="Years to plan, 1-10 (default 5)"
        ),
        _capacity_parameter("budget", 10_000_000_000, "Yearly budget in USD"),
        _capacity_parameter("staff", 100_000, "Staff (FTE)"),
    ],
    responses={200: s.PlanSerializer},
)
class PlanView(APIView):
    permission_classes = SIGNED_IN

    def get(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        results = _results(request, assessment)
        # The page's form: one rule for the inputs, the same messages naming the field.
        form = RoadmapForm(request.query_params)
        if not form.is_valid():
            raise _invalid(form.errors)
        plan = solutions.build_plan(assessment, results.figures, **form.plan_inputs())
        return Response(s.PlanSerializer(s.plan_document(plan)).data)


@extend_schema(
    tags=["results"],
    summary="The report as PDF (provisional for a draft)",
    responses={
        (200, "application/pdf"): OpenApiResponse(
            OpenApiTypes.BINARY, description="The report, a tagged PDF in the language you asked for"
        )
    },
)
class ReportPdf(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(operation_id="assessments_report")
    def get(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        _results(request, assessment)  # the same rule as the page: no results, no report
        pdf = render_pdf(request.user, assessment)
        if pdf is None:
            raise Http404
        return downloads.generated_file(
            pdf, f"ceds-report-{assessment.city.slug}-{assessment.period}.pdf", "application/pdf"
        )


# -- action plan -----------------------------------------------------------------------------


@extend_schema(tags=["action plan"])
@extend_schema(tags=["solutions"])
class TargetDetail(APIView):
    """A section's target level, through the same service as the section and plan pages."""

    permission_classes = SIGNED_IN

    @extend_schema(
        summary="Set a section's target level (city coordinator; while open, who answers the section)",
        request=s.TargetSerializer,
        responses={200: s.TargetSerializer},
    )
    def put(self, request, pk, code):
        assessment = get_assessment_for(request.user, pk)
        section = get_object_or_404(Section, framework_version=assessment.framework_version_id, code=code)
        form = s.TargetSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        workflow.set_target(request.user, assessment, section, form.validated_data["level"])
        return Response({"level": form.validated_data["level"]})


class ActionList(generics.ListCreateAPIView):
    permission_classes = SIGNED_IN
    serializer_class = s.ActionSerializer
    queryset = Action.objects.none()  # the schema's model; requests use get_queryset

    def assessment(self):
        if not hasattr(self, "_assessment"):
            self._assessment = get_assessment_for(self.request.user, self.kwargs["pk"])
        return self._assessment

    def get_queryset(self):
        return Action.objects.filter(assessment=self.assessment()).select_related("module").order_by("created_at", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "pk" in self.kwargs:  # absent while the schema is generated
            version = self.assessment().framework_version_id
            context["item_codes"] = set(Item.objects.filter(framework_version=version).values_list("code", flat=True))
        return context

    @extend_schema(summary="The action plan of an assessment")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Add an action (city coordinator)", responses={201: s.ActionSerializer})
    def post(self, request, *args, **kwargs):
        assessment = self.assessment()
        if not roles.can_manage_assessment(request.user, assessment):
            raise PermissionDenied
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        action = solutions.save_action(request.user, assessment, form.validated_data)
        return Response(s.ActionSerializer(action).data, status=status.HTTP_201_CREATED)


# -- libraries -------------------------------------------------------------------------------


@extend_schema(tags=["solutions"], summary="E-government modules")
class ModuleList(generics.ListAPIView):
    permission_classes = PUBLIC
    serializer_class = s.ModuleSerializer
    queryset = Module.objects.prefetch_related("prerequisites").order_by("code")


@extend_schema(tags=["solutions"], summary="One module with its deployment steps")
class ModuleDetail(generics.RetrieveAPIView):
    permission_classes = PUBLIC
    serializer_class = s.ModuleDetailSerializer
    queryset = Module.objects.prefetch_related("prerequisites")
    lookup_field = "code"


@extend_schema(tags=["solutions"], summary="Published best practices")
class PracticeList(generics.ListAPIView):
    permission_classes = PUBLIC
    serializer_class = s.PracticeSerializer
    queryset = Practice.objects.published().order_by("code")
    filterset_class = api_filters.PracticeFilter


@extend_schema(tags=["solutions"], summary="One published best practice")
class PracticeDetail(generics.RetrieveAPIView):
    permission_classes = PUBLIC
    serializer_class = s.PracticeDetailSerializer
    queryset = Practice.objects.published()
    lookup_field = "code"


# -- open data and reference indices ---------------------------------------------------------


@extend_schema(
    tags=["open data"],
    summary="Datasets of results published by name, with the licence",
    responses={200: OpenApiResponse(s.OpenDataIndexSerializer, description="Every dataset, with a link per format")},
)
class OpenDataIndex(APIView):
    permission_classes = PUBLIC

    def get(self, request):
        licence = OpenDataLicence.current()
        datasets = [
            {
                **d,
                "links": {
                    fmt: reverse(f"api:open_data_{fmt}", args=[d["framework"], d["period"]]) for fmt in opendata.FORMATS
                },
            }
            for d in opendata.datasets()
        ]
        return Response({"licence": licence.licence, "attribution": licence.attribution, "datasets": datasets})


@extend_schema(
    tags=["open data"],
    summary="The data dictionary of a framework's datasets",
    responses={200: OpenApiResponse(s.DataDictionarySerializer, description="Every column: name, type, meaning")},
)
class OpenDataDictionary(APIView):
    permission_classes = PUBLIC

    def get(self, request, framework):
        cols = opendata.columns(framework)
        if not cols:
            raise Http404
        return Response({"licence": OpenDataLicence.current().licence, "columns": [c.__dict__ for c in cols]})


class OpenDataFile(APIView):
    """One dataset in one format; each format has its own path, so each has one media type."""

    permission_classes = PUBLIC
    fmt = ""

    def get(self, request, framework, period):
        if not opendata.columns(framework) or not re.fullmatch(workflow.PERIOD_PATTERN, period):
            raise Http404
        return downloads.generated_file(
            opendata.render(framework, period, self.fmt),
            f"ceds-{framework}-{period}.{self.fmt}",
            opendata.FORMATS[self.fmt],
        )


_OPEN_DATA = {"tags": ["open data"]}


@extend_schema(
    **_OPEN_DATA,
    summary="One dataset as CSV (UTF-8 with a byte-order mark)",
    responses={
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR, description="One row per city; the columns as the data dictionary says"
        )
    },
)
class OpenDataCsv(OpenDataFile):
    fmt = "csv"

    @extend_schema(operation_id="open_data_csv")
    def get(self, request, framework, period):
        return super().get(request, framework, period)


@extend_schema(
    **_OPEN_DATA,
    summary="One dataset as JSON, with its columns and licence",
    responses={200: OpenApiResponse(s.OpenDataDocumentSerializer, description="The dataset with its dictionary")},
)
class OpenDataJson(OpenDataFile):
    fmt = "json"

    @extend_schema(operation_id="open_data_json")
    def get(self, request, framework, period):
        return super().get(request, framework, period)


@extend_schema(
    **_OPEN_DATA,
    summary="One dataset as an XLSX workbook (sheets data and dictionary)",
    responses={
        (200, opendata.FORMATS["xlsx"]): OpenApiResponse(
            OpenApiTypes.BINARY, description="Sheet `data`: one row per city; sheet `dictionary`: the columns"
        )
    },
)
class OpenDataXlsx(OpenDataFile):
    fmt = "xlsx"

    @extend_schema(operation_id="open_data_xlsx")
    def get(self, request, framework, period):
        return super().get(request, framework, period)


class NotFound(APIView):
    """Every other path under /api/v1/: a problem document, never an HTML page."""

    permission_classes = PUBLIC
    schema = None

    def initial(self, request, *args, **kwargs):
        raise Http404


@extend_schema(tags=["reference indices"], summary="Imported editions of country-level indices")
class IndexList(generics.ListAPIView):
    permission_classes = PUBLIC
    serializer_class = s.ReferenceIndexSerializer
    queryset = ReferenceIndex.objects.order_by("code", "-year", "pk")


@extend_schema(tags=["reference indices"], summary="One edition's values per country")
class IndexValues(generics.ListAPIView):
    permission_classes = PUBLIC
    serializer_class = s.ReferenceValueSerializer
    filterset_class = api_filters.IndexValueFilter
    queryset = ReferenceValue.objects.none()  # the schema's model; requests use get_queryset

    def get_queryset(self):
        index = get_object_or_404(ReferenceIndex, code=self.kwargs["code"], year=self.kwargs["year"])
        return index.values.order_by("rank", "country_id")

    @extend_schema(operation_id="indices_values")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
