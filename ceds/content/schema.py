"""The schema of content files: frameworks, sections, modules and practices.

pydantic models; `docs/framework.schema.json` is generated from them
(`manage.py validate_content --write-json-schema`). The format is described for authors in
docs/content-format.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LANGUAGES = ("en", "ko", "es", "ru", "zh", "ar", "fr")
ItemKind = Literal["level", "service", "scale", "binary", "number", "text"]
PositiveWeight = Annotated[float, Field(gt=0)]
LevelNumber = Annotated[int, Field(ge=1, le=5)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _check_text(value: dict) -> dict:
    if not isinstance(value, dict):
        raise ValueError("must be a mapping of language code to text, e.g. {en: ...}")
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language code(s) {', '.join(unknown)}; use {', '.join(LANGUAGES)}")
    if not str(value.get("en") or "").strip():
        raise ValueError("English text (en) is required")
    return {k: str(v).strip() for k, v in value.items() if v is not None and str(v).strip()}


Text = Annotated[dict[str, str], Field(json_schema_extra={"description": "language code -> text; en required"})]


class Level(Strict):
    level: LevelNumber
    min: float = Field(ge=0, le=100)
    name: Text
    description: Text

    _v = field_validator("name", "description")(classmethod(lambda cls, v: _check_text(v)))


class Scoring(Strict):
    level_scores: dict[LevelNumber, float] = Field(default_factory=lambda: {1: 0, 2: 25, 3: 50, 4: 75, 5: 100})
    service_status_factors: dict[Literal["absent", "planned", "developing", "operating"], float] = Field(
        default_factory=lambda: {"absent": 0, "planned": 0, "developing": 0.25, "operating": 1}
    )
    dont_know: Literal["lowest", "exclude"] = "lowest"

    @field_validator("level_scores")
    @classmethod
    def _levels(cls, value):
        return _check_level_scores(value)

    @field_validator("service_status_factors")
    @classmethod
    def _factors(cls, value):
        if any(not 0 <= v <= 1 for v in value.values()):
            raise ValueError("status factors must lie within 0–1")
        return value


class ScaleLevel(Strict):
    name: Text
    description: Text

    _v = field_validator("name", "description")(classmethod(lambda cls, v: _check_text(v)))


class ServiceScale(Strict):
    title: Text
    levels: dict[LevelNumber, ScaleLevel]

    _v = field_validator("title")(classmethod(lambda cls, v: _check_text(v)))

    @field_validator("levels")
    @classmethod
    def _all(cls, value):
        if sorted(value) != [1, 2, 3, 4, 5]:
            raise ValueError("describe each of the levels 1 to 5")
        return value


def _check_level_scores(value: dict) -> dict:
    if sorted(value) != [1, 2, 3, 4, 5]:
        raise ValueError("give a score for each of the levels 1 to 5")
    if any(not 0 <= v <= 100 for v in value.values()):
        raise ValueError("level scores must lie within 0–100")
    ordered = [value[k] for k in sorted(value)]
    if ordered != sorted(ordered):
        raise ValueError("level scores must not decrease as the level rises")
    return value


class ServiceKind(ServiceScale):
    """A kind of service (transaction, back-office system, ...) with its own 1–5 scale.

    `level_scores` replaces the framework's level scores for services of this kind (e.g. an
    information service earns something for being published at all)."""

    description: Text | None = None
    level_scores: dict[LevelNumber, float] | None = None

    @field_validator("description")
    @classmethod
    def _description(cls, value):
        return None if value is None else _check_text(value)

    @field_validator("level_scores")
    @classmethod
    def _scores(cls, value):
        return None if value is None else _check_level_scores(value)


class Utilization(Strict):
    """What a service's utilization % counts, over what; or why it is not asked."""

    text: Text | None = None
    not_asked: Text | None = None

    @field_validator("text", "not_asked")
    @classmethod
    def _texts(cls, value):
        return None if value is None else _check_text(value)

    @model_validator(mode="after")
    def _one(self):
        if (self.text is None) == (self.not_asked is None):
            raise ValueError("give either text: (what is counted over what) or not_asked: (why), not both")
        return self


class ShowIf(Strict):
    item: str
    in_: list = Field(alias="in", min_length=1)


class Points(Strict):
    min: int = 0
    max: int = Field(gt=0)


class Threshold(Strict):
    min: float
    points: int = Field(ge=0)


class Item(Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*-[0-9]{2,3}$")
    kind: ItemKind
    weight: PositiveWeight | None = None
    title: Text
    text: Text | None = None
    anchors: dict[LevelNumber, Text] | None = None
    guidance: Text | None = None
    evidence: Text | None = None
    source: str = Field(min_length=2)
    show_if: ShowIf | None = None
    points: Points | int | None = None
    point_labels: dict[int, Text] | None = None
    thresholds: list[Threshold] | None = None
    unit: str | None = None
    level_notes: dict[LevelNumber, Text] | None = None
    systems_example: str | None = None
    # Services of a framework that declares service_kinds: which scale the level is read on,
    # and what the utilization % counts (required there; see Framework._service_kinds).
    service_kind: str | None = Field(default=None, pattern=r"^[a-z][a-z_]*$")
    utilization: Utilization | None = None

    @field_validator("title", "text", "guidance", "evidence")
    @classmethod
    def _texts(cls, value):
        return None if value is None else _check_text(value)

    @field_validator("anchors", "level_notes", "point_labels")
    @classmethod
    def _text_maps(cls, value):
        return None if value is None else {k: _check_text(v) for k, v in value.items()}

    @model_validator(mode="after")
    def _by_kind(self):
        kind = self.kind
        if kind == "level" and (self.anchors is None or sorted(self.anchors) != [1, 2, 3, 4, 5]):
            raise ValueError("a level item needs anchors for each of the levels 1 to 5")
        if kind != "level" and self.anchors is not None:
            raise ValueError(f"anchors belong to level items, not {kind}")
        scored_by = {"scale": self._check_scale, "binary": self._check_binary, "number": self._check_number}
        if kind in scored_by:
            scored_by[kind]()
        if kind != "service" and (self.service_kind is not None or self.utilization is not None):
            raise ValueError(f"service_kind and utilization belong to service items, not {kind}")
        if kind == "text" and self.weight is not None:
            raise ValueError("text items are not scored and take no weight")
        return self

    def _check_scale(self) -> None:
        if not isinstance(self.points, Points):
            raise ValueError("a scale item needs points: {min: 0, max: N}")
        if self.points.min < 0 or self.points.min >= self.points.max:
            raise ValueError("scale points need 0 <= min < max")

    def _check_binary(self) -> None:
        if not isinstance(self.points, int) or self.points <= 0:
            raise ValueError("a binary item needs points: N (its value when present), N > 0")

    def _check_number(self) -> None:
        if not self.thresholds:
            raise ValueError("a number item needs thresholds: [{min: ..., points: ...}, ...]")
        mins = [t.min for t in self.thresholds]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            raise ValueError("thresholds must be in ascending order of min, without repeats")
        if max(t.points for t in self.thresholds) <= 0:
            raise ValueError("at least one threshold must give points")

    def effective_weight(self) -> float:
        """Declared weight, else 1 for level/service, else the item's maximum points."""
        if self.weight is not None:
            return self.weight
        if self.kind == "scale":
            return float(self.points.max)
        if self.kind == "binary":
            return float(self.points)
        if self.kind == "number":
            return float(max(t.points for t in self.thresholds))
        return 1.0


class SectionFile(Strict):
    id: str
    items: list[Item] = Field(min_length=1)


class Section(Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*$")
    title: Text
    description: Text | None = None
    kind: Literal["dimension", "domain"] = "dimension"
    target: bool = False
    weight: PositiveWeight = 1
    items: list[Item] = Field(default_factory=list)

    _v = field_validator("title", "description")(classmethod(lambda cls, v: None if v is None else _check_text(v)))


class Group(Strict):
    id: str
    title: Text
    weight: PositiveWeight = 1
    sections: list[Section] = Field(min_length=1)

    _v = field_validator("title")(classmethod(lambda cls, v: _check_text(v)))


class Part(Strict):
    id: str
    title: Text
    description: Text | None = None
    weight: PositiveWeight = 1
    groups: list[Group] = Field(min_length=1)

    _v = field_validator("title", "description")(classmethod(lambda cls, v: None if v is None else _check_text(v)))


class ModuleCoverage(Strict):
    """Which parts must be covered by modules: every scored item, or every section."""

    every_item_in: list[str] = Field(default_factory=list)
    every_section_in: list[str] = Field(default_factory=list)


class Framework(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: int = Field(ge=1)
    title: Text
    description: Text | None = None
    source: str | None = None
    levels: list[Level] = Field(min_length=2)
    scoring: Scoring = Field(default_factory=Scoring)
    service_scale: ServiceScale | None = None
    # Declaring the kinds makes `service_kind` and `utilization` required on every service.
    service_kinds: dict[Annotated[str, Field(pattern=r"^[a-z][a-z_]*$")], ServiceKind] | None = None
    module_coverage: ModuleCoverage | None = None
    parts: list[Part] = Field(min_length=1)

    _v = field_validator("title", "description")(classmethod(lambda cls, v: None if v is None else _check_text(v)))

    @field_validator("levels")
    @classmethod
    def _levels(cls, value):
        numbers = [lv.level for lv in value]
        if numbers != list(range(1, len(value) + 1)):
            raise ValueError("levels must be numbered 1, 2, 3 … in order")
        if value[0].min != 0:
            raise ValueError("the first level must start at min: 0")
        mins = [lv.min for lv in value]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            raise ValueError("level thresholds (min) must rise with the level")
        return value

    def service_problems(self) -> list[tuple[str, str]]:
        """(item id, message) for services that break the service-kind rule: with
        service_kinds declared every service names a declared kind and defines (or declines)
        utilization; without, no service names a kind."""
        problems = []
        for _section, item in self.items():
            if item.kind != "service":
                continue
            if not self.service_kinds:
                if item.service_kind is not None:
                    problems.append((item.id, "service_kind needs service_kinds declared in framework.yaml"))
                continue
            if item.service_kind is None:
                problems.append((item.id, f"service_kind is required: one of {', '.join(self.service_kinds)}"))
            elif item.service_kind not in self.service_kinds:
                problems.append(
                    (item.id, f"service_kind {item.service_kind!r} is not one of {', '.join(self.service_kinds)}")
                )
            if item.utilization is None:
                problems.append((item.id, "utilization is required: {text: {en: ...}} or {not_asked: {en: ...}}"))
        return problems

    def sections(self):
        for part in self.parts:
            for group in part.groups:
                yield from ((part, group, section) for section in group.sections)

    def items(self):
        for _part, _group, section in self.sections():
            yield from ((section, item) for item in section.items)

    def engine_definition(self) -> dict:
        """Plain data for the scoring engine, with effective weights filled in."""
        data = self.model_dump(mode="json", by_alias=True)
        # Fields added after version 1 are left out when unset, so that the definitions (and
        # checksums) of published versions stay exactly as they were loaded.
        if data.get("service_kinds") is None:
            data.pop("service_kinds", None)
        by_id = {item.id: item for _s, item in self.items()}
        for part in data["parts"]:
            for group in part["groups"]:
                for section in group["sections"]:
                    for item in section["items"]:
                        for added in ("service_kind", "utilization"):
                            if item.get(added) is None:
                                item.pop(added, None)
                        if item["kind"] != "text":
                            item["weight"] = by_id[item["id"]].effective_weight()
                        if item.get("kind") == "scale":
                            item["points"] = {"min": item["points"]["min"], "max": item["points"]["max"]}
        return data


class Effort(Strict):
    """The version-1 module effort (a cost band); superseded by `cost` and `duration_months`."""

    cost_band: Literal["low", "medium", "high", "very_high"]
    duration_months: int = Field(ge=1, le=120)
    staff: float = Field(ge=0)
    running_cost_usd: int | None = Field(default=None, ge=0)


COST_BAND_LIMITS = ((50_000, "low"), (250_000, "medium"), (1_000_000, "high"), (float("inf"), "very_high"))
POPULATION_BANDS = ("under_100k", "100k_500k", "500k_1m", "1m_5m", "over_5m")
PopulationBand = Literal["under_100k", "100k_500k", "500k_1m", "1m_5m", "over_5m"]
# National platforms a city may rely on instead of building its own (the city profile's vocabulary).
NationalPlatform = Literal[
    "e_id", "e_payment", "e_procurement", "interoperability", "government_cloud", "document_exchange", "open_data"
]
# Who takes part in a deployment step (the names are translated in the interface).
Role = Literal[
    "cio_office",
    "mayor_office",
    "department",
    "legal",
    "procurement",
    "finance",
    "hr",
    "communications",
    "data_protection",
    "security",
    "council",
    "vendor",
    "national_agency",
    "residents",
]


def _usd_range(value: list[int]) -> list[int]:
    if len(value) != 2 or value[0] > value[1]:
        raise ValueError("give a USD range as [low, high] with low <= high")
    return value


UsdRange = Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=2, max_length=2)]


class BandCost(Strict):
    one_off: UsdRange
    yearly: UsdRange
    staff: float = Field(ge=0, le=500)

    _v = field_validator("one_off", "yearly")(classmethod(lambda cls, v: _usd_range(v)))


class Cost(Strict):
    """What a module costs a city of each population band: one-off and yearly USD ranges, staff (FTE)."""

    assumptions: Text
    bands: dict[PopulationBand, BandCost]

    _v = field_validator("assumptions")(classmethod(lambda cls, v: _check_text(v)))

    @field_validator("bands")
    @classmethod
    def _every_band(cls, value):
        missing = [band for band in POPULATION_BANDS if band not in value]
        if missing:
            raise ValueError(f"give a cost for every population band; missing {', '.join(missing)}")
        return value


class CheaperRoute(Strict):
    kind: Literal["national_platform", "open_source", "egovframe", "regional_shared"]
    national: NationalPlatform | None = None  # the national platform the route relies on, if any
    text: Text
    one_off: UsdRange
    yearly: UsdRange
    staff: float = Field(ge=0, le=500)

    _t = field_validator("text")(classmethod(lambda cls, v: _check_text(v)))
    _r = field_validator("one_off", "yearly")(classmethod(lambda cls, v: _usd_range(v)))


class Reasonable(Strict):
    text: Text
    population_bands: list[PopulationBand] | None = None
    budget_bands: list[Literal["minimal", "small", "medium", "large"]] | None = None
    income_groups: list[Literal["low", "lower_middle", "upper_middle", "high"]] | None = None
    min_ict_staff: int | None = Field(default=None, ge=1)
    min_internet_penetration: int | None = Field(default=None, ge=1, le=100)
    # Reasonable only where the country runs these platforms (the module connects to them) ...
    requires_national: list[NationalPlatform] | None = None
    # ... or only where it does not (otherwise the city joins the national platform instead).
    unless_national: list[NationalPlatform] | None = None

    _v = field_validator("text")(classmethod(lambda cls, v: _check_text(v)))


class Step(Strict):
    title: Text
    deliverable: Text
    weeks: int | None = Field(default=None, ge=1, le=104)
    roles: list[Role] | None = Field(default=None, min_length=1)
    done_when: Text | None = None

    _v = field_validator("title", "deliverable", "done_when")(
        classmethod(lambda cls, v: None if v is None else _check_text(v))
    )


class Kpi(Strict):
    name: Text
    definition: Text
    source: Text  # where the figure comes from
    baseline: Text  # how the starting value is established
    target: Text  # the rule that sets the target

    _v = field_validator("name", "definition", "source", "baseline", "target")(
        classmethod(lambda cls, v: _check_text(v))
    )


class Risk(Strict):
    risk: Text
    mitigation: Text

    _v = field_validator("risk", "mitigation")(classmethod(lambda cls, v: _check_text(v)))


class TermsOfReference(Strict):
    scope: Text
    requirements: list[Text] = Field(min_length=4)

    _s = field_validator("scope")(classmethod(lambda cls, v: _check_text(v)))

    @field_validator("requirements")
    @classmethod
    def _requirements(cls, value):
        return [_check_text(v) for v in value]


class Source(Strict):
    title: str = Field(min_length=2)
    publisher: str = Field(min_length=2)
    year: int | None = Field(default=None, ge=1990, le=2100)
    url: str | None = Field(default=None, pattern=r"^https://")


class Module(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: Text
    summary: Text
    raises: dict[str, LevelNumber] = Field(min_length=1)
    prerequisites: list[str] = Field(default_factory=list)
    necessary_when: Text
    reasonable_when: Reasonable
    steps: list[Step] = Field(min_length=5, max_length=10)
    # The deployment guide (docs/content-format.md, "A module"); `effort`, plain-text KPIs and
    # risks and `source` are the version-1 shape, accepted until every module is a guide.
    duration_months: int | None = Field(default=None, ge=1, le=120)
    cost: Cost | None = None
    cheaper_route: CheaperRoute | None = None
    no_cheaper_route: Text | None = None  # why there is none, when cheaper_route is absent
    resident_facing: bool | None = None
    low_bandwidth: Text | None = None  # the SMS / USSD / assisted variant of a resident-facing module
    terms_of_reference: TermsOfReference | None = None
    kpis: list[Kpi] | list[Text] = Field(min_length=1)
    risks: list[Risk] | list[Text] = Field(min_length=1)
    sources: list[Source] | None = None
    effort: Effort | None = None
    source: str | None = None

    @field_validator("title", "summary", "necessary_when", "no_cheaper_route", "low_bandwidth")
    @classmethod
    def _texts(cls, value):
        return None if value is None else _check_text(value)

    @field_validator("kpis", "risks")
    @classmethod
    def _lists(cls, value):
        return [v if isinstance(v, BaseModel) else _check_text(v) for v in value]

    def cost_band(self) -> str:
        """The version-1 band of the one-off cost, for a mid-sized city (the module list's filter)."""
        if self.effort is not None:
            return self.effort.cost_band
        assert self.cost is not None, "a module gives cost or effort"
        low, high = self.cost.bands["500k_1m"].one_off
        middle = (low + high) / 2
        return next(band for limit, band in COST_BAND_LIMITS if middle < limit)


class Award(Strict):
    name: str
    category: Literal["services", "efficiency", "open_city", "urban_management", "digital_divide"]
    prize: Literal["best", "outstanding", "most_promising"]


class Practice(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    city: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    year: int = Field(ge=1980, le=2100)
    award: Award | None = None
    categories: list[Literal["services", "efficiency", "open_city", "urban_management", "digital_divide"]] = Field(
        min_length=1
    )
    sections: list[str] = Field(default_factory=list)
    summary: Text
    summary_note: Text | None = None
    source: str = Field(min_length=2)
    # A case worth reading (docs/content-format.md, "Best practices"): what the city did, for
    # whom, with what, what it cost or took, what changed (figures only with a source), what
    # another city can reuse, and the sources that say so.
    what: Text | None = None
    for_whom: Text | None = None
    with_what: Text | None = None
    cost_or_effort: Text | None = None
    results: Text | None = None
    reuse: Text | None = None
    sources: list[Source] | None = None
    # An award entry no public source describes: the page says so, and the entry stays short.
    no_public_description: bool = False

    @field_validator(
        "title", "summary", "summary_note", "what", "for_whom", "with_what", "cost_or_effort", "results", "reuse"
    )
    @classmethod
    def _texts(cls, value):
        return None if value is None else _check_text(value)

    @model_validator(mode="after")
    def _case(self):
        detailed = [n for n in CASE_FIELDS if getattr(self, n) is not None]
        if self.no_public_description and (detailed or self.sources):
            raise ValueError("an entry with no public description carries no case details or sources")
        if detailed or self.sources:
            missing = [n for n in CASE_REQUIRED if getattr(self, n) is None]
            if missing or not self.sources:
                raise ValueError(
                    "a described case needs what, for_whom, with_what, reuse and sources; missing "
                    + ", ".join(missing + ([] if self.sources else ["sources"]))
                )
        return self

    def substantive(self) -> bool:
        return all(getattr(self, n) is not None for n in CASE_REQUIRED) and bool(self.sources)


CASE_FIELDS = ("what", "for_whom", "with_what", "cost_or_effort", "results", "reuse")
CASE_REQUIRED = ("what", "for_whom", "with_what", "reuse")
