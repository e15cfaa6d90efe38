"""Loading content/ into the database: idempotent and all-or-nothing."""

import csv
import hashlib
import json
from pathlib import Path

import pycountry
import yaml
from django.db import transaction

from ceds.cities.models import City, Country, Place, Region
from ceds.cities.signals import send_city_changed
from ceds.content.reader import Bundle, Problem
from ceds.frameworks.models import FrameworkVersion, Item, Section
from ceds.reports.signals import one_library_change
from ceds.solutions.models import Module, Practice


class ContentError(Exception):
    def __init__(self, problems: list[Problem] | list[str]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def checksum(definition: dict) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def load_bundle(bundle: Bundle) -> list[str]:
    if bundle.problems:
        raise ContentError(bundle.problems)
    report = load_geography(bundle.root)
    for lf in bundle.frameworks:
        report.append(load_framework(lf.framework, lf.crosswalk, bundle.root))
    with one_library_change():  # every city's reports show the library
        report.append(load_modules(bundle))
        report.append(load_practices(bundle))
    return report


def load_framework(framework, crosswalk, root: Path) -> str:
    definition = framework.engine_definition()
    digest = checksum(definition)
    existing = FrameworkVersion.objects.filter(framework_id=framework.id, version=framework.version).first()
    label = f"{framework.id} v{framework.version}"
    if existing and existing.checksum == digest:
        return f"{label}: unchanged"
    if existing and existing.assessments.exists():
        raise ContentError(
            [
                Problem(
                    f"content/frameworks/{framework.id}/{framework.version}",
                    "(framework)",
                    f"{label} is used by {existing.assessments.count()} assessment(s) and cannot change; "
                    f"copy it to version {framework.version + 1}, make the change there and add a crosswalk.yaml",
                )
            ]
        )
    if existing:
        existing.items.all().delete()
        existing.sections.all().delete()
        version = existing
        version.title, version.definition, version.checksum, version.crosswalk = (
            framework.title,
            definition,
            digest,
            crosswalk,
        )
        version.save()
    else:
        version = FrameworkVersion.objects.create(
            framework_id=framework.id,
            version=framework.version,
            title=framework.title,
            definition=definition,
            checksum=digest,
            crosswalk=crosswalk,
        )
    items = []
    position = 0
    for s_position, (part, group, section) in enumerate(framework.sections()):
        section_row = Section.objects.create(
            framework_version=version,
            code=section.id,
            part=part.id,
            group=group.id,
            kind=section.kind,
            title=section.title,
            position=s_position,
            takes_target=section.target,
        )
        for item in section.items:
            items.append(
                Item(
                    framework_version=version,
                    section=section_row,
                    code=item.id,
                    kind=item.kind,
                    position=position,
                    data=item.model_dump(mode="json", by_alias=True, exclude_none=True),
                )
            )
            position += 1
    Item.objects.bulk_create(items)
    return f"{label}: {'reloaded' if existing else 'loaded'} ({len(items)} items)"


def load_modules(bundle: Bundle) -> str:
    wanted = {m.id for m in bundle.modules}
    Module.objects.exclude(code__in=wanted).delete()
    rows = {}
    for module in bundle.modules:
        row, _created = Module.objects.update_or_create(
            code=module.id,
            defaults={
                "title": module.title,
                "cost_band": module.cost_band(),
                "duration_months": module.duration_months or module.effort.duration_months,
                "data": module.model_dump(mode="json", exclude_none=True),
            },
        )
        rows[module.id] = row
    for module in bundle.modules:
        rows[module.id].prerequisites.set([rows[p] for p in module.prerequisites])
    return f"modules: {len(rows)}"


def load_practices(bundle: Bundle) -> str:
    wanted = {p.id for p in bundle.practices}
    # Only the library is content; cases shared by cities are never touched here.
    Practice.objects.filter(origin=Practice.Origin.LIBRARY).exclude(code__in=wanted).delete()
    for practice in bundle.practices:
        Practice.objects.update_or_create(
            code=practice.id,
            defaults={
                "title": practice.title,
                "city_name": practice.city,
                "country": practice.country,
                "year": practice.year,
                "data": practice.model_dump(mode="json", exclude_none=True),
            },
        )
    return f"practices: {len(bundle.practices)}"


def load_geography(root: Path) -> list[str]:
    """Regions, ISO countries (with their region) and the gazetteer places."""
    report = []
    regions_file = root / "gazetteer" / "regions.yaml"
    country_regions: dict[str, str] = {}
    if regions_file.is_file():
        data = yaml.safe_load(regions_file.read_text(encoding="utf-8"))
        names_before = dict(Region.objects.values_list("code", "names"))
        for position, region in enumerate(data.get("regions", [])):
            Region.objects.update_or_create(
                code=region["code"], defaults={"names": region["names"], "ordering": position}
            )
        renamed = [r["code"] for r in data.get("regions", []) if names_before.get(r["code"], r["names"]) != r["names"]]
        if renamed:  # what copies a city's region by name follows (cities.signals)
            send_city_changed(
                City.objects.filter(region__code__in=renamed).values_list("pk", flat=True), {"region.names"}
            )
        country_regions = data.get("countries", {})
        report.append(f"regions: {len(data.get('regions', []))}")
    regions = {r.code: r for r in Region.objects.all()}
    existing = set(Country.objects.values_list("code", flat=True))
    new, changed = [], []
    for country in pycountry.countries:
        row = Country(
            code=country.alpha_2,
            alpha3=country.alpha_3,
            numeric=country.numeric,
            name_en=getattr(country, "common_name", None) or country.name,
            region=regions.get(country_regions.get(country.alpha_2, "")),
        )
        (changed if row.code in existing else new).append(row)
    Country.objects.bulk_create(new)
    # Without a regions file, keep whatever regions countries already have.
    Country.objects.bulk_update(changed, ["alpha3", "numeric", "name_en", *(["region"] if country_regions else [])])
    report.append(f"countries: {len(new) + len(changed)}")
    places_file = root / "gazetteer" / "places.csv"
    if places_file.is_file():
        with places_file.open(encoding="utf-8", newline="") as handle:
            rows = [
                Place(
                    geonameid=int(r["geonameid"]),
                    name=r["name"],
                    asciiname=r["asciiname"],
                    country=r["country"],
                    admin1=r.get("admin1", ""),
                    latitude=r["latitude"],
                    longitude=r["longitude"],
                    population=int(r["population"]),
                    timezone=r["timezone"],
                )
                for r in csv.DictReader(handle)
            ]
        if Place.objects.count() != len(rows):
            Place.objects.all().delete()
            Place.objects.bulk_create(rows, batch_size=2000)
        report.append(f"gazetteer places: {len(rows)}")
    return report
