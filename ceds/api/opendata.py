"""Open data: the results cities published by name, per framework and period.

Only published, named results appear (the same pool as the public map); anonymous and
private results never do. One row per city; columns are described by the data dictionary.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Count

from ceds.api.models import OpenDataLicence
from ceds.benchmarks.public import named_snapshots
from ceds.core.i18n import localized
from ceds.core.xlsx import save_as_text
from ceds.frameworks.models import FrameworkVersion

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Column:
    name: str
    type: str
    description: str


BASE_COLUMNS = [
    Column("city", "string", "The city's short name in CeDS (stable identifier)"),
    Column("city_name", "string", "The city's name in English"),
    Column(
        "city_name_local",
        "string",
        "The city's own name in its own language and script (e.g. 서울특별시 for Seoul); empty when not recorded",
    ),
    Column("country", "string", "ISO 3166-1 alpha-2 country code"),
    Column("region", "string", "WeGO region code"),
    Column("latitude", "number", "WGS 84 latitude of the city centre"),
    Column("longitude", "number", "WGS 84 longitude of the city centre"),
    Column("framework", "string", "Framework identifier"),
    Column("version", "integer", "Framework version the city answered"),
    Column("period", "string", "Assessment period: a year, optionally with a half or quarter (2026, 2026-H1); text"),
    Column("validated_at", "date", "Date the regional coordinator or secretariat validated the result (ISO 8601, UTC)"),
    Column("overall_score", "number", "Overall score, 0–100"),
    Column("overall_level", "integer", "Overall maturity level, 1–5"),
]


def datasets() -> list[dict]:
    """[{framework, period, cities}] for every framework and period with named results."""
    rows = (
        named_snapshots()
        .values("assessment__framework_version__framework_id", "assessment__period")
        .annotate(cities=Count("assessment__city", distinct=True))
        .order_by("assessment__framework_version__framework_id", "-assessment__period")
    )
    return [
        {
            "framework": r["assessment__framework_version__framework_id"],
            "period": r["assessment__period"],
            "cities": r["cities"],
        }
        for r in rows
    ]


def columns(framework_id: str) -> list[Column]:
    """The dictionary: fixed columns, then a score and a level per part and per section."""
    version = FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version").first()
    if version is None:
        return []
    out = list(BASE_COLUMNS)
    for part in version.definition["parts"]:
        keys = [(f"part_{part['id']}", localized(part["title"], "en"))]
        keys += [
            (f"section_{section['id']}", f"{section['id']} {localized(section['title'], 'en')}")
            for group in part["groups"]
            for section in group["sections"]
        ]
        for key, title in keys:
            out.append(Column(f"{key}_score", "number", f"{title}: score, 0–100"))
            out.append(Column(f"{key}_level", "integer", f"{title}: maturity level, 1–5"))
    return out


def rows(framework_id: str, period: str) -> list[dict]:
    snapshots = (
        named_snapshots()
        .filter(assessment__framework_version__framework_id=framework_id, assessment__period=period)
        .select_related("assessment__city__region", "assessment__framework_version")
        .defer("assessment__framework_version__definition", "assessment__framework_version__crosswalk")
        .order_by("assessment__city__slug")
    )
    out = []
    for snapshot in snapshots:
        assessment, city = snapshot.assessment, snapshot.assessment.city
        row = {
            "city": city.slug,
            "city_name": city.name,
            "city_name_local": _local_name(city),
            "country": city.country_id,
            "region": city.region.code,
            "latitude": float(city.latitude) if city.latitude is not None else None,
            "longitude": float(city.longitude) if city.longitude is not None else None,
            "framework": framework_id,
            "version": assessment.framework_version.version,
            "period": assessment.period,
            "validated_at": assessment.validated_at.date().isoformat() if assessment.validated_at else None,
            "overall_score": _round(snapshot.overall_score),
            "overall_level": snapshot.overall_level,
        }
        for key, figure in snapshot.figures.items():
            kind, _sep, ident = key.partition(":")
            if kind in ("part", "section"):
                row[f"{kind}_{ident}_score"] = _round(figure.get("score"))
                row[f"{kind}_{ident}_level"] = figure.get("level")
        out.append(row)
    return out


def _local_name(city) -> str:
    """The first of the city's local names (the gazetteer lists its own language first)."""
    names = city.local_names if isinstance(city.local_names, dict) else {}
    return next((str(name) for name in names.values() if name), "")


def _round(value):
    return None if value is None else round(value, 2)


def _xlsx_value(kind: str, value):
    if kind == "date" and value:
        return date.fromisoformat(value)
    if kind == "string" and value is not None:
        return str(value)
    return value


def render(framework_id: str, period: str, fmt: str) -> bytes:
    cols = columns(framework_id)
    names = [c.name for c in cols]
    data = [{name: row.get(name) for name in names} for row in rows(framework_id, period)]
    licence = OpenDataLicence.current()
    if fmt == "json":
        document = {
            "framework": framework_id,
            "period": period,
            "licence": licence.licence,
            "attribution": licence.attribution,
            "columns": [asdict(c) for c in cols],
            "rows": data,
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
        # With a byte-order mark, spreadsheets opening the file with default options read it
        # as UTF-8 (without one they guess a legacy code page and garble São Paulo or 서울).
        return buffer.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(names)
    types = {c.name: c.type for c in cols}
    for row in data:
        sheet.append([_xlsx_value(types[n], row[n]) for n in names])
        for cell in sheet[sheet.max_row]:
            if types[names[cell.column - 1]] == "date" and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif types[names[cell.column - 1]] == "string":
                cell.number_format = "@"  # text: a period such as 2026 stays "2026", not a number
    about = book.create_sheet("dictionary")
    about.append(["licence", licence.licence, licence.get_licence_display()])
    about.append(["attribution", licence.attribution])
    about.append([])
    about.append(["column", "type", "description"])
    for c in cols:
        about.append([c.name, c.type, c.description])
    return save_as_text(book)
