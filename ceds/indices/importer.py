"""Importing a reference index from its published CSV, matching country names to ISO codes.

Tolerant of the ways publishers spell countries ("Republic of Korea", "Iran (Islamic
Republic of)", "Georgia (Country)", trailing spaces); strict about numbers. Unmatched
names are reported and skipped; a bad number stops the import with nothing saved.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ceds.cities.models import Country
from ceds.core import audit
from ceds.core.checkpoints import checkpoint
from ceds.indices.models import ReferenceIndex, ReferenceValue

# Names pycountry does not know in any of its spellings, as the UN and others publish them.
ALIASES = {
    "democratic republic of the congo": "CD",
    "state of palestine": "PS",
    "netherlands (kingdom of the)": "NL",
    "micronesia (federated states of)": "FM",
    "bolivia (plurinational state of)": "BO",
    "venezuela (bolivarian republic of)": "VE",
    "iran (islamic republic of)": "IR",
    "republic of korea": "KR",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "turkey": "TR",
    "laos": "LA",
    "vietnam": "VN",
    "syria": "SY",
    "cape verde": "CV",
    "swaziland": "SZ",
    "czech republic": "CZ",
    "ivory coast": "CI",
}
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class ImportReport:
    index: ReferenceIndex
    imported: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (row number, name as written)


def match_country(name: str) -> str | None:
    """ISO alpha-2 for a country name as a publisher wrote it; None when unsure."""
    cleaned = re.sub(r"\s+", " ", name).strip().strip('"').strip()
    if not cleaned:
        return None
    key = cleaned.casefold()
    if key in ALIASES:
        return ALIASES[key]
    candidates = [cleaned]
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", cleaned)
    if bracket:
        inner = bracket.group(2)
        # "Iran (Islamic Republic of)" -> "Islamic Republic of Iran"; "Georgia (Country)" -> "Georgia"
        if inner.endswith(" of") or inner.endswith(" of the"):
            candidates.append(f"{inner} {bracket.group(1)}")
        candidates.append(bracket.group(1))
    for candidate in candidates:
        try:
            return pycountry.countries.lookup(candidate).alpha_2
        except LookupError:
            continue
    return None


def _number(raw: str, row: int, column: str) -> float | None:
    raw = (raw or "").strip()
    if raw in ("", "-", "..", "n/a", "NA"):
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        raise ValidationError(
            _("Row %(row)s, column %(column)s: %(value)s is not a number.")
            % {"row": row, "column": column, "value": raw}
        ) from None


def read_csv(data: bytes) -> tuple[list[str], list[dict]]:
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB; a country index is far smaller."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise ValidationError(_("The file is empty."))
    headers = [(h or "").strip().casefold().replace(" ", "_") for h in reader.fieldnames]
    rows = [{headers[i]: v for i, v in enumerate(r.values()) if i < len(headers)} for r in reader]
    return headers, rows


@transaction.atomic
def import_index(actor, data: bytes, code: str, year: int, name: str, source: str = "") -> ImportReport:
    """Replace one edition of an index with the file's rows (all or nothing)."""
    headers, rows = read_csv(data)
    country_column = next((h for h in headers if h in ("country", "country_name", "name")), None)
    if country_column is None:
        raise ValidationError(
            _("The file needs a 'country' column; its columns are: %(c)s") % {"c": ", ".join(headers)}
        )
    components = [h for h in headers if h not in (country_column, "rank", "iso", "iso3", "code", "")]
    if not components:
        raise ValidationError(_("The file has no value columns besides country and rank."))
    known = set(Country.objects.values_list("code", flat=True))
    index, _created = ReferenceIndex.objects.update_or_create(
        code=code, year=year, defaults={"name": name, "source": source, "components": components, "imported_by": actor}
    )
    index.values.all().delete()
    report = ImportReport(index)
    values, seen = [], {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        written = row.get(country_column) or ""
        if not written.strip():
            continue
        iso = match_country(written)
        if iso not in known:
            report.unmatched.append((number, written.strip()))
            continue
        if iso in seen:
            raise ValidationError(
                _("Rows %(a)s and %(b)s are both %(country)s.") % {"a": seen[iso], "b": number, "country": iso}
            )
        seen[iso] = number
        rank = _number(row.get("rank", ""), number, "rank")
        parsed = {c: _number(row.get(c, ""), number, c) for c in components}
        values.append(ReferenceValue(index=index, country_id=iso, rank=int(rank) if rank else None, values=parsed))
    if not values:
        raise ValidationError(_("No row matched a country; check the country column."))
    half = len(values) // 2
    ReferenceValue.objects.bulk_create(values[:half])
    checkpoint("import_reference_index")
    ReferenceValue.objects.bulk_create(values[half:])
    index.countries = len(values)
    index.save(update_fields=["countries"])
    report.imported = len(values)
    audit.record(
        actor, "index.import", index, {"countries": [None, len(values)], "unmatched": [None, len(report.unmatched)]}
    )
    return report


def national_context(country_code: str) -> list[dict]:
    """The latest edition of each index for one country (for the dashboard), as plain rows; one query."""
    rows = (
        ReferenceValue.objects.filter(country_id=country_code)
        .order_by("index__code", "-index__year")
        .values_list("index_id", "index__code", "index__name", "index__year", "index__countries", "rank", "values")
    )
    latest: dict[str, dict] = {}
    for index_id, code, name, year, countries, rank, values in rows:
        index = {"id": index_id, "code": code, "name": name, "year": year}
        latest.setdefault(code, {"index": index, "rank": rank, "values": values, "of": countries})
    return list(latest.values())
