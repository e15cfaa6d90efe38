"""Matching the countries and cities of a published index to ISO codes and gazetteer places.

Pure functions (pycountry and the committed name tables, no database): the importer hands
in the gazetteer places it read. A country is matched by its ISO 3166 code when the file has
one, otherwise by name: every name pycountry knows, then the UN names pycountry misses
(`data/un_country_names.yaml`, with its source). A city is matched within its country by
name (GeoNames name, `data/city_names.yaml` aliases) and, where the file gives them, by
coordinates.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml  # type: ignore[import-untyped]

DATA = Path(__file__).resolve().parent / "data"
# Within this distance a place whose name matches is the city the file means; without a
# matching name, a place this close to the given coordinates is taken (reported as such).
NAME_RADIUS_KM = 50.0
COORDINATE_RADIUS_KM = 10.0


def normal(name: str) -> str:
    """A name compared without case, accents, apostrophes, punctuation or a leading 'The'."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`ʼ]", "", text).replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _derived(name: str) -> list[str]:
    """pycountry's "Korea, Republic of" as the UN writes it, "Republic of Korea"; "Holy See (Vatican City State)" as "Holy See"."""
    out = []
    comma = re.fullmatch(r"(.+?),\s*(.+)", name)
    if comma:
        out += [f"{comma.group(2)} {comma.group(1)}", comma.group(1)]
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if bracket:
        out.append(bracket.group(1))
    return out


@lru_cache(maxsize=1)
def un_aliases() -> dict[str, str]:
    data = yaml.safe_load((DATA / "un_country_names.yaml").read_text(encoding="utf-8"))
    return {normal(name): code for name, code in data["aliases"].items()}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Normalised name -> alpha-2: pycountry's own names first, derived forms only where unambiguous."""
    own: dict[str, str] = {}
    derived: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if not name:
                continue
            own[normal(name)] = country.alpha_2
            for form in _derived(name):
                derived.setdefault(normal(form), set()).add(country.alpha_2)
    names = {key: codes.pop() for key, codes in derived.items() if len(codes) == 1}
    names.update(own)
    return names


def pycountry_match(name: str) -> str | None:
    """alpha-2 for a name as pycountry knows it (with the publishers' bracket forms); None when unsure."""
    cleaned = re.sub(r"\s+", " ", name or "").strip().strip('"').strip()
    if not cleaned:
        return None
    forms = [cleaned]
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", cleaned)
    if bracket:
        inner = bracket.group(2)
        # "Iran (Islamic Republic of)" -> "Islamic Republic of Iran"; "Georgia (Country)" -> "Georgia"
        if re.search(r" of( the)?$", inner, re.IGNORECASE):
            forms.append(f"{inner} {bracket.group(1)}")
        forms.append(bracket.group(1))
    names = _names()
    for form in forms:
        if normal(form) in names:
            return names[normal(form)]
    return None


def match_country(name: str) -> str | None:
    """ISO alpha-2 for a country name as a publisher wrote it; None when unsure."""
    return pycountry_match(name) or un_aliases().get(normal(name))


def match_code(code: str) -> str | None:
    """ISO alpha-2 for an alpha-3, alpha-2 or numeric ISO 3166-1 code; None for anything else."""
    code = (code or "").strip().upper()
    if code.endswith(".0") and code[:-2].isdigit():  # a spreadsheet's 4.0 for "004"
        code = code[:-2]
    country = None
    if re.fullmatch(r"[A-Z]{3}", code):
        country = pycountry.countries.get(alpha_3=code)
    elif re.fullmatch(r"[A-Z]{2}", code):
        country = pycountry.countries.get(alpha_2=code)
    elif re.fullmatch(r"\d{1,3}", code):
        country = pycountry.countries.get(numeric=code.zfill(3))
    return country.alpha_2 if country else None


def closest_countries(name: str, known: dict[str, str], n: int = 3) -> list[str]:
    """The names of the `known` countries ({code: English name}) closest to what was written."""
    by_key = {normal(label): f"{label} ({code})" for code, label in known.items()}
    for key, code in _names().items():
        if code in known:
            by_key.setdefault(key, f"{known[code]} ({code})")
    hits = difflib.get_close_matches(normal(name), list(by_key), n=n * 3, cutoff=0.7)
    seen: list[str] = []
    for key in hits:
        if by_key[key] not in seen:
            seen.append(by_key[key])
    return seen[:n]


# -- cities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceRow:
    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class CityMatch:
    place: PlaceRow | None
    how: str  # "name", "name and coordinates", "coordinates", "alias" or "" when unmatched
    candidates: tuple[str, ...] = ()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


@lru_cache(maxsize=1)
def city_aliases() -> dict[tuple[str, str], str]:
    data = yaml.safe_load((DATA / "city_names.yaml").read_text(encoding="utf-8"))
    return {(row["country"], normal(row["name"])): normal(row["gazetteer"]) for row in data["aliases"]}


def _city_key(name: str) -> str:
    """'Kuwait City' and 'Kuwait', 'City of Cape Town' and 'Cape Town' compare equal."""
    key = normal(name)
    key = re.sub(r"^(city of|municipality of|metropolitan city of) ", "", key)
    return re.sub(r" (city|metropolitan city|municipality)$", "", key)


def match_city(
    name: str, country: str, places: list[PlaceRow], latitude: float | None = None, longitude: float | None = None
) -> CityMatch:
    """The gazetteer place of a city a publisher named in `country`; `places` are that country's."""
    key = _city_key(name)
    alias = city_aliases().get((country, normal(name)))
    how = "name"
    named = [p for p in places if _city_key(p.name) == key]
    if not named and alias:
        named = [p for p in places if normal(p.name) == alias]
        how = "alias"
    located = latitude is not None and longitude is not None

    def far(p: PlaceRow) -> float:
        return distance_km(latitude, longitude, p.latitude, p.longitude) if located else 0.0  # type: ignore[arg-type]

    if named:
        if located:
            near = [p for p in named if far(p) <= NAME_RADIUS_KM]
            if near:
                return CityMatch(min(near, key=far), f"{how} and coordinates")
        else:
            # Several places of one name in a country: the most populous, as LOSI assesses each
            # country's most populous city; the preview shows which one was taken.
            return CityMatch(max(named, key=lambda p: p.population), how)
    if located:
        near = [p for p in places if far(p) <= COORDINATE_RADIUS_KM]
        if near:
            return CityMatch(min(near, key=far), "coordinates")
    labels = {_city_key(p.name): p.name for p in places}
    close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.6)
    return CityMatch(None, "", tuple(labels[c] for c in close))
