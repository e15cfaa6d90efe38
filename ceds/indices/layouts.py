"""The column layouts of published index files: which header is the country, the rank, the
edition year, and which are the index's components, under their published names.

Headers are compared normalised (case, spaces, hyphens, underscores, a trailing edition year:
"E-Government Index", "e_government_index" and "e-government index 2022" are one header), so
the UN Data Center's layout and the common republications (`country-code, country-name,
e-gov-rank, e-gov-index, ...`) are both read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def header_key(header: str) -> str:
    key = (header or "").replace("\ufeff", "").casefold().replace("&", " and ")
    key = re.sub(r"[\s_\-–./:()]+", " ", key)
    key = re.sub(r"\b(19|20)\d\d\b", " ", key)  # "LOSI 2024" is the LOSI column of the 2024 edition
    return re.sub(r"\s+", " ", key).strip()


@dataclass(frozen=True)
class Component:
    code: str
    name: Promise | str  # as the publisher names it
    headers: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    code: str
    name: Promise | str
    scope: str  # "country" or "city"
    rank: tuple[str, ...]
    components: tuple[Component, ...]
    level: tuple[str, ...] = ()


EGDI = Component(
    "egdi",
    _("E-Government Development Index"),
    ("e government index", "e government development index", "egdi", "e gov index", "egdi index", "egdi value"),
)
OSI = Component("osi", _("Online Service Index"), ("online service index", "online services index", "osi"))
HCI = Component("hci", _("Human Capital Index"), ("human capital index", "hci"))
TII = Component(
    "tii",
    _("Telecommunication Infrastructure Index"),
    ("telecommunication infrastructure index", "telecommunications infrastructure index", "tii"),
)
EPI = Component(
    "epi",
    _("E-Participation Index"),
    ("e participation index", "eparticipation index", "epi", "e pat index", "e part index"),
)
LOSI = Component("losi", _("Local Online Service Index"), ("local online service index", "losi", "losi score", "score"))
LOSI_CRITERIA = (
    Component("if", _("Institutional Framework"), ("institutional framework", "if")),
    Component("cp", _("Content Provision"), ("content provision", "cp")),
    Component("sp", _("Services Provision"), ("services provision", "service provision", "sp")),
    Component("pe", _("Participation and Engagement"), ("participation and engagement", "pe")),
    Component("egl", _("E-Government Literacy"), ("e government literacy",)),
    Component("tec", _("Technology"), ("technology", "tec", "tech")),
)

LAYOUTS: dict[str, Layout] = {
    layout.code: layout
    for layout in (
        Layout(
            "egdi",
            EGDI.name,
            "country",
            ("e government rank", "egdi rank", "e gov rank", "rank"),
            (EGDI, OSI, HCI, TII, EPI),
            ("egdi group", "e government group", "egdi level", "group", "level"),
        ),
        Layout("osi", OSI.name, "country", ("online service rank", "osi rank", "rank"), (OSI,)),
        Layout("hci", HCI.name, "country", ("human capital rank", "hci rank", "rank"), (HCI,)),
        Layout("tii", TII.name, "country", ("telecommunication infrastructure rank", "tii rank", "rank"), (TII,)),
        Layout(
            "epi",
            EPI.name,
            "country",
            ("e participation rank", "epi rank", "e pat rank", "rank"),
            (EPI,),
            ("epi group", "e participation group", "group", "level"),
        ),
        Layout(
            "losi",
            LOSI.name,
            "city",
            ("losi rank", "rank"),
            (LOSI, *LOSI_CRITERIA),
            ("losi group", "losi level", "group", "level"),
        ),
    )
}

COMPONENT_NAMES: dict[str, Promise | str] = {c.code: c.name for layout in LAYOUTS.values() for c in layout.components}
_COMPONENT_RANK = {code: index for index, code in enumerate(COMPONENT_NAMES)}


def in_published_order(values: dict) -> list[tuple[str, float]]:
    """An edition's component values in the order the publishers list them (the index itself
    first). Stored JSON keeps no key order on PostgreSQL (jsonb sorts keys by length)."""
    return sorted(values.items(), key=lambda kv: (_COMPONENT_RANK.get(kv[0], len(_COMPONENT_RANK)), kv[0]))


COUNTRY_NAME = ("country name", "country", "country or area", "economy", "member state", "name")
COUNTRY_CODE = (
    "country code",
    "iso3",
    "iso 3",
    "iso alpha 3",
    "iso alpha3",
    "alpha 3",
    "iso3166",
    "iso 3166",
    "iso code",
    "iso",
    "iso2",
    "iso 2",
    "alpha 2",
    "m49",
    "m49 code",
    "code",
)
YEAR = ("survey year", "edition year", "edition", "year")
CITY = ("city", "city name", "municipality")
LATITUDE = ("latitude", "lat")
LONGITUDE = ("longitude", "lon", "lng", "long")


def header_year(header: str) -> int | None:
    """The edition a header names ("LOSI 2024" -> 2024), if any."""
    found = re.search(r"\b((?:19|20)\d\d)\b", header or "")
    return int(found.group(1)) if found else None


def index_name(code: str, name: str = "") -> str:
    """The name an edition was imported under, else its index's published name in the reader's language."""
    layout = LAYOUTS.get(code)
    return name or (str(layout.name) if layout else code.upper())


def component_name(code: str) -> str:
    """A component's published name; a code no layout knows (an older import) as it was stored."""
    return str(COMPONENT_NAMES.get(code, code.upper()))


@dataclass
class Columns:
    """Which file column plays which part: each value is the header as the file wrote it."""

    country: str | None = None
    code: str | None = None
    year: str | None = None
    rank: str | None = None
    level: str | None = None
    city: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    components: dict[str, str] = field(default_factory=dict)  # component code -> header
    ignored: list[str] = field(default_factory=list)

    def header_years(self) -> dict[int, str]:
        """{edition: a header naming it} among the rank and component headers ("LOSI 2024")."""
        years: dict[int, str] = {}
        for header in [self.rank, *self.components.values()]:
            year = header_year(header or "")
            if year:
                years.setdefault(year, header or "")
        return years

    def roles(self) -> list[tuple[str, str]]:
        """(header, what it becomes), in a fixed order, for the preview and the stored record."""
        parts = [
            (self.code, str(_("country (ISO code)"))),
            (self.country, str(_("country (name)"))),
            (self.city, str(_("city"))),
            (self.latitude, str(_("latitude"))),
            (self.longitude, str(_("longitude"))),
            (self.year, str(_("edition year"))),
            (self.rank, str(_("rank"))),
            (self.level, str(_("level"))),
        ]
        out = [(h, role) for h, role in parts if h]
        out += [(h, f"{component_name(c)} ({c})") for c, h in self.components.items()]
        return out


class LayoutError(ValueError):
    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def _pick(headers: dict[str, str], wanted: tuple[str, ...], taken: set[str]) -> str | None:
    """The first of `wanted` (most specific first) the file has, as the file wrote it."""
    for key in wanted:
        if key in headers and key not in taken:
            taken.add(key)
            return headers[key]
    return None


def recognise(raw_headers: list[str], layout: Layout) -> Columns:
    """The columns of a file for `layout`; LayoutError naming what is missing or twice there."""
    problems: list[str] = []
    headers: dict[str, str] = {}
    for raw in raw_headers:
        key = header_key(raw)
        if not key:
            continue
        if key in headers:
            problems.append(
                str(_("Row 1 (the header): columns “%(a)s” and “%(b)s” are the same column."))
                % {"a": headers[key], "b": raw}
            )
        headers[key] = raw
    taken: set[str] = set()
    columns = Columns()
    # Components and the rank first: their specific names ("E-Government Rank") win over "rank".
    for component in layout.components:
        header = _pick(headers, component.headers, taken)
        if header:
            columns.components[component.code] = header
    columns.rank = _pick(headers, layout.rank, taken)
    columns.level = _pick(headers, layout.level, taken) if layout.level else None
    columns.year = _pick(headers, YEAR, taken)
    if layout.scope == "city":
        columns.city = _pick(headers, CITY, taken)
        columns.latitude = _pick(headers, LATITUDE, taken)
        columns.longitude = _pick(headers, LONGITUDE, taken)
    columns.code = _pick(headers, COUNTRY_CODE, taken)
    columns.country = _pick(headers, COUNTRY_NAME, taken)
    columns.ignored = [raw for key, raw in headers.items() if key not in taken]
    position = {raw: i for i, raw in enumerate(raw_headers)}
    columns.components = dict(sorted(columns.components.items(), key=lambda item: position[item[1]]))
    listed = ", ".join(f"“{h}”" for h in raw_headers if h and h.strip()) or "–"
    if columns.country is None and columns.code is None:
        problems.append(
            str(
                _(
                    "Row 1 (the header): no column names the country (expected e.g. “Country Name” or “country-code”); "
                    "the columns are: %(columns)s."
                )
            )
            % {"columns": listed}
        )
    if layout.scope == "city" and columns.city is None:
        problems.append(
            str(_("Row 1 (the header): no column names the city (expected “City”); the columns are: %(columns)s."))
            % {"columns": listed}
        )
    if not columns.components:
        problems.append(
            str(
                _(
                    "Row 1 (the header): no column holds a value of %(index)s (expected e.g. %(expected)s); "
                    "the columns are: %(columns)s."
                )
            )
            % {
                "index": layout.name,
                "expected": ", ".join(f"“{c.headers[0]}”" for c in layout.components[:3]),
                "columns": listed,
            }
        )
    if columns.rank is None:
        problems.append(
            str(_("Row 1 (the header): no rank column for %(index)s (expected one of %(expected)s)."))
            % {"index": layout.name, "expected": ", ".join(f"“{h}”" for h in layout.rank)}
        )
    if problems:
        raise LayoutError(problems)
    return columns
