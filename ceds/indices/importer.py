"""Importing one edition of a reference index from the file its publisher releases.

`preview()` reads the file and says what it would do, writing nothing: which column becomes
the country, the rank, the edition year and each component (ceds/indices/layouts.py), which
country (ISO code, else name: ceds/indices/matching.py) or gazetteer place each row is, and
every problem with its row and column. `import_index()` writes the same plan, all or nothing:
a single problem (an unknown layout, a country twice, a value that is not a number, a row that
matches no country) and nothing is written.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceds.cities.models import Country, Place
from ceds.core import audit
from ceds.core.xlsx import NotAWorkbook, read_workbook
from ceds.indices import layouts
from ceds.indices.matching import PlaceRow, closest_countries, match_city, match_code, match_country, normal
from ceds.indices.models import ReferenceIndex, ReferenceValue

# A country index is some 20 kB, LOSI's 193 cities as much; the preview carries the file in
# its confirmation form, which must stay under DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_BYTES = 1024 * 1024
MISSING = ("", "-", "–", "..", "n/a", "na", "none")
# At most this many problems are listed; the first ones are enough to correct a file.
MAX_PROBLEMS = 50


# -- reading -------------------------------------------------------------------------------


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet of a workbook as text cells (the only place that opens a workbook)."""
    with read_workbook(io.BytesIO(data)) as workbook:
        sheet = workbook.worksheets[0]
        return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect=dialect))


def read_table(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(headers, [(row number as a spreadsheet counts it, {header: cell})]) from a CSV or XLSX file."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 1 MB; an index edition is far smaller."))
    if data[:4] == b"PK\x03\x04":
        try:
            rows = _xlsx_rows(data)
        except NotAWorkbook:
            raise ValidationError(_("The file is neither a CSV file nor an Excel workbook.")) from None
    else:
        rows = _csv_rows(data)
    # Leading blank lines (a title row left empty) do not make a header.
    start = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if start is None:
        raise ValidationError(_("The file is empty."))
    headers = [h.strip() for h in rows[start]]
    table = []
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        if any((c or "").strip() for c in row):
            table.append((offset, {h: (row[i] if i < len(row) else "").strip() for i, h in enumerate(headers)}))
    return headers, table


# -- the plan ------------------------------------------------------------------------------


PLACE_MATCHED_BY = {
    "name": gettext_lazy("by name"),
    "alias": gettext_lazy("by a known alias"),
    "name and coordinates": gettext_lazy("by name and coordinates"),
    "alias and coordinates": gettext_lazy("by a known alias and coordinates"),
    "coordinates": gettext_lazy("by coordinates only"),
}


@dataclass
class PlannedRow:
    number: int
    written: str  # the country as the file wrote it (name, else code)
    published_name: str = ""  # the name column's text, kept with the value ("Swaziland" in 2017)
    country: str = ""  # ISO alpha-2
    matched_by: str = ""  # "code" or "name"
    rank: int | None = None
    level: str = ""
    values: dict[str, float | None] = field(default_factory=dict)
    city: str = ""
    place: PlaceRow | None = None
    place_matched_by: str = ""
    place_candidates: tuple[str, ...] = ()

    @property
    def place_how(self) -> str:
        return str(PLACE_MATCHED_BY.get(self.place_matched_by, ""))


@dataclass
class Preview:
    layout: layouts.Layout
    year: int | None
    columns: layouts.Columns | None = None
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # (row, as written, closest known countries) for the rows that matched no country
    unmatched: list[tuple[int, str, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def component_names(self) -> list[tuple[str, str]]:
        return [(c, layouts.component_name(c)) for c in (self.columns.components if self.columns else {})]

    @property
    def unplaced(self) -> list[PlannedRow]:
        """City rows that matched no gazetteer place (imported with their country and name)."""
        return [r for r in self.rows if r.city and r.place is None]


def _number(raw: str, row: int, column: str) -> tuple[float | None, str | None]:
    text = (raw or "").strip()
    if text.casefold() in MISSING:
        return None, None
    try:
        value = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
        if not math.isfinite(value):
            raise ValueError(text)
        return value, None
    except ValueError:
        return None, _("Row %(row)s, column “%(column)s”: “%(value)s” is not a number.") % {
            "row": row,
            "column": column,
            "value": text,
        }


def _rank(raw: str, row: int, column: str) -> tuple[int | None, str | None]:
    value, problem = _number(raw, row, column)
    if problem:
        return None, problem
    if value is None:
        return None, _("Row %(row)s, column “%(column)s”: the rank is missing.") % {"row": row, "column": column}
    if value != int(value) or not 1 <= value <= 32767:
        return None, _("Row %(row)s, column “%(column)s”: “%(value)s” is not a rank (1, 2, 3 …).") % {
            "row": row,
            "column": column,
            "value": raw,
        }
    return int(value), None


def _places(codes: set[str]) -> dict[str, list[PlaceRow]]:
    by_country: dict[str, list[PlaceRow]] = {}
    rows = Place.objects.filter(country__in=codes).values_list(
        "geonameid", "name", "country", "latitude", "longitude", "population"
    )
    for gid, name, country, lat, lon, population in rows:
        by_country.setdefault(country, []).append(PlaceRow(gid, name, country, float(lat), float(lon), population))
    return by_country


def preview(data: bytes, code: str, year: int | None = None) -> Preview:
    """What importing `data` as edition `year` of index `code` would write; writes nothing."""
    layout = layouts.LAYOUTS[code]
    headers, table = read_table(data)
    plan = Preview(layout, year)
    try:
        columns = layouts.recognise(headers, layout)
    except layouts.LayoutError as error:
        plan.problems = error.messages
        return plan
    plan.columns = columns
    problems = plan.problems
    known = dict(Country.objects.values_list("code", "name_en"))
    file_years: dict[int, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table:
        row = _country_of(number, cells, columns, problems)
        if row is None or not _known_country(row, columns, known, plan):
            continue
        if not _read_figures(row, cells, columns, problems, file_years):
            continue
        if _repeated(row, columns, seen, problems):
            continue
        plan.rows.append(row)
    _check_edition(plan, columns, file_years, year)
    if plan.year is None:
        problems.append(_("Give the edition year: the file has no year column."))
    if not plan.rows and not problems:
        problems.append(_("The file has a header but no rows."))
    if layout.scope == "city" and plan.rows:
        _match_places(plan, columns, table)
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        del problems[MAX_PROBLEMS:]
        problems.append(_("… and %(n)s more.") % {"n": more})
    return plan


def _country_of(number: int, cells: dict, columns: layouts.Columns, problems: list[str]) -> PlannedRow | None:
    """The row with its country matched by ISO code or by name; None (and a problem) when it cannot be."""
    country_written = cells.get(columns.country, "") if columns.country else ""
    code_written = cells.get(columns.code, "") if columns.code else ""
    row = PlannedRow(number, country_written or code_written, country_written[:120])
    if columns.code and code_written:
        row.country, row.matched_by = match_code(code_written) or "", "code"
        if not row.country:
            problems.append(
                _("Row %(row)s, column “%(column)s”: “%(value)s” is not an ISO 3166 country code.")
                % {"row": number, "column": columns.code, "value": code_written}
            )
            return None
        by_name = match_country(country_written) if country_written else None
        if by_name and by_name != row.country:
            # A code and a name that disagree: the file cannot be trusted for either.
            problems.append(
                _(
                    "Row %(row)s: “%(code)s” in column “%(code_column)s” is %(a)s, but “%(name)s” in column “%(name_column)s” is %(b)s."
                )
                % {
                    "row": number,
                    "code": code_written,
                    "code_column": columns.code,
                    "a": row.country,
                    "name": country_written,
                    "name_column": columns.country,
                    "b": by_name,
                }
            )
            return None
    elif country_written:
        row.country, row.matched_by = match_country(country_written) or "", "name"
    else:
        problems.append(
            _("Row %(row)s, column “%(column)s”: no country.")
            % {"row": number, "column": columns.country or columns.code}
        )
        return None
    return row


def _known_country(row: PlannedRow, columns: layouts.Columns, known: dict[str, str], plan: Preview) -> bool:
    """Whether the row's country is in the gazetteer; if not, the closest names are offered."""
    if row.country not in known:
        closest = closest_countries(row.written, known)
        plan.unmatched.append((row.number, row.written, closest))
        column = columns.code if row.matched_by == "code" else columns.country
        message = _("Row %(row)s, column “%(column)s”: no country matches “%(value)s”.") % {
            "row": row.number,
            "column": column,
            "value": row.written,
        }
        if closest:
            message += " " + _("Closest: %(names)s.") % {"names": "; ".join(closest)}
        plan.problems.append(message)
        return False
    return True


def _read_figures(
    row: PlannedRow, cells: dict, columns: layouts.Columns, problems: list[str], file_years: dict[int, int]
) -> bool:
    """The row's edition year, rank, components, level and city; False when it has no city where one is needed."""
    number = row.number
    if columns.year:
        written_year, problem = _number(cells.get(columns.year, ""), number, columns.year)
        if problem:
            problems.append(problem)
        elif written_year is not None:
            file_years.setdefault(int(written_year), number)
    row.rank, problem = _rank(cells.get(columns.rank, ""), number, columns.rank)  # type: ignore[arg-type]
    if problem:
        problems.append(problem)
    for component, header in columns.components.items():
        row.values[component], problem = _number(cells.get(header, ""), number, header)
        if problem:
            problems.append(problem)
    if columns.level:
        row.level = cells.get(columns.level, "")[:40]
    if columns.city:
        row.city = cells.get(columns.city, "")[:120]
        if not row.city:
            problems.append(_("Row %(row)s, column “%(column)s”: no city.") % {"row": number, "column": columns.city})
            return False
    return True


def _repeated(row: PlannedRow, columns: layouts.Columns, seen: dict[tuple[str, str], int], problems: list[str]) -> bool:
    """Whether an earlier row has the same country (and city); the first is kept."""
    key = (row.country, normal(row.city))
    if key in seen:
        column = columns.city if row.city else (columns.country or columns.code)
        what = f"{row.city} ({row.country})" if row.city else row.country
        problems.append(
            _("Rows %(a)s and %(b)s, column “%(column)s”: both are %(what)s.")
            % {"a": seen[key], "b": row.number, "column": column, "what": what}
        )
        return True
    seen[key] = row.number
    return False


def _check_edition(plan: Preview, columns: layouts.Columns, file_years: dict[int, int], year: int | None) -> None:
    """One edition per file, the one asked for: from a year column, a year in a header or the form."""
    problems = plan.problems
    if len(file_years) > 1:
        first, second = sorted(file_years.items(), key=lambda item: item[1])[:2]
        problems.append(
            _(
                "Row %(row)s, column “%(column)s”: edition %(year)s, but row %(first)s is edition %(first_year)s; import one edition at a time."
            )
            % {"row": second[1], "column": columns.year, "year": second[0], "first": first[1], "first_year": first[0]}
        )
    elif file_years:
        ((file_year, row_number),) = file_years.items()
        if year is None:
            plan.year = file_year
        elif year != file_year:
            problems.append(
                _("Row %(row)s, column “%(column)s”: the file is edition %(file)s, not %(year)s.")
                % {"row": row_number, "column": columns.year, "file": file_year, "year": year}
            )
    named = columns.header_years()
    if not file_years and len(named) == 1:
        ((named_year, header),) = named.items()
        if plan.year is None:
            plan.year = named_year
        elif plan.year != named_year:
            problems.append(
                _("Row 1 (the header), column “%(column)s”: the file is edition %(file)s, not %(year)s.")
                % {"column": header, "file": named_year, "year": plan.year}
            )


def _match_places(plan: Preview, columns: layouts.Columns, table) -> None:
    cells_by_row = dict(table)
    places = _places({r.country for r in plan.rows})
    taken: dict[int, int] = {}
    for row in plan.rows:
        cells = cells_by_row[row.number]
        lat = lon = None
        if columns.latitude and columns.longitude:
            lat, problem_lat = _number(cells.get(columns.latitude, ""), row.number, columns.latitude)
            lon, problem_lon = _number(cells.get(columns.longitude, ""), row.number, columns.longitude)
            for problem in (problem_lat, problem_lon):
                if problem:
                    plan.problems.append(problem)
        found = match_city(row.city, row.country, places.get(row.country, []), lat, lon)
        row.place, row.place_matched_by, row.place_candidates = found.place, found.how, found.candidates
        if found.place is not None:
            if found.place.geonameid in taken:
                plan.problems.append(
                    _("Rows %(a)s and %(b)s, column “%(column)s”: both are the gazetteer's %(place)s.")
                    % {
                        "a": taken[found.place.geonameid],
                        "b": row.number,
                        "column": columns.city,
                        "place": found.place.name,
                    }
                )
            taken[found.place.geonameid] = row.number


# -- writing -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    index: ReferenceIndex
    preview: Preview
    imported: int = 0


@transaction.atomic
def import_index(
    actor, data: bytes, code: str, year: int | None, name: str = "", source: str = "", plan: Preview | None = None
) -> ImportReport:
    """Replace one edition of an index with the file's rows, all or nothing."""
    plan = plan or preview(data, code, year)
    if not plan.ok:
        raise ValidationError(plan.problems)
    assert plan.columns is not None and plan.year is not None  # a plan without problems has both
    layout = plan.layout
    index, _created = ReferenceIndex.objects.update_or_create(
        code=code,
        year=plan.year,
        defaults={
            "name": name,
            "source": source,
            "scope": layout.scope,
            "components": list(plan.columns.components),
            "columns": [list(pair) for pair in plan.columns.roles()],
            "imported_by": actor,
        },
    )
    index.values.all().delete()
    ReferenceValue.objects.bulk_create(
        ReferenceValue(
            index=index,
            country_id=row.country,
            published_name=row.published_name,
            city=row.city,
            geonameid=row.place.geonameid if row.place else None,
            rank=row.rank,
            level=row.level,
            values=row.values,
        )
        for row in plan.rows
    )
    index.countries = len(plan.rows)
    index.save(update_fields=["countries"])
    audit.record(actor, "index.import", index, {"entries": [None, len(plan.rows)]})
    return ImportReport(index, plan, len(plan.rows))


# -- reading for the dashboard -------------------------------------------------------------


def national_context(country_code: str, city=None) -> list[dict]:
    """Each index's latest edition for one country (and, for a city-level index, the city), with
    the earlier editions; one query, plain rows.

    A city-level index shows the city itself when the edition ranked it, else the city of the
    same country it ranked (LOSI assesses each country's most populous city), for comparison.
    """
    rows = (
        ReferenceValue.objects.filter(country_id=country_code)
        .order_by("index__code", "-index__year", "rank", "pk")
        .values_list(
            "index__code",
            "index__name",
            "index__year",
            "index__scope",
            "index__countries",
            "published_name",
            "city",
            "geonameid",
            "rank",
            "level",
            "values",
        )
    )
    geonameid = getattr(city, "geonameid", None)
    city_name = normal(getattr(city, "name", ""))
    chosen: dict[tuple[str, int], dict] = {}
    for code, name, year, scope, size, published, city_written, gid, rank, level, values in rows:
        this_city = bool(city_written) and (gid == geonameid if geonameid else normal(city_written) == city_name)
        entry = {
            "code": code,
            "name": layouts.index_name(code, name),
            "year": year,
            "scope": scope,
            "of": size,
            "published_name": published,
            "city": city_written,
            "this_city": this_city,
            "rank": rank,
            "level": level,
            "values": [
                {"code": c, "name": layouts.component_name(c), "value": v}
                for c, v in layouts.in_published_order(values or {})
            ],
        }
        key = (code, year)
        # The first row of an edition is its best-ranked; a city-level edition prefers this city.
        if key not in chosen or (this_city and not chosen[key]["this_city"]):
            chosen[key] = entry
    latest: dict[str, dict] = {}
    for (code, _year), entry in chosen.items():  # in index order, newest edition first
        if code not in latest:
            latest[code] = {**entry, "history": []}
        else:
            latest[code]["history"].append(entry)
    return list(latest.values())
