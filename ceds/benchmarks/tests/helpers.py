"""Results of the "kinds" test framework for the result pages' tests: one validated cycle, many peers."""

from ceds.assessments import services
from ceds.assessments.answers import parse_answer
from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks.services import recompute, refresh_public_results
from ceds.cities.models import City, CityProfile, Country, Membership
from ceds.frameworks.models import Item
from ceds.scoring.engine import Engine

ANSWERS = {
    "GV-01": {"choice": "4"},
    "GV-02": {"choice": "3"},
    "GV-03": {"choice": "yes"},
    "GV-04": {"value": "85"},
    "SV-001": {"status": "operating", "level": "4", "utilization": "70", "systems": "ipMail System (plus Mail)"},
    "SV-002": {"status": "developing", "level": "3"},
}


def validated_result(world, version, period, answers=ANSWERS, sharing="named"):
    assessment = services.open_assessment(world["a_coordinator"], world.city_a, version, period)
    for code, data in answers.items():
        item = Item.objects.get(framework_version=version, code=code)
        services.save_answer(world["a_coordinator"], assessment, item, parse_answer(item.data, data), 0)
    services.submit(world["a_coordinator"], assessment)
    services.validate(world["secretariat"], assessment)
    services.publish(world["a_coordinator"], assessment, sharing)
    return Assessment.objects.get(pk=assessment.pk)


def published_peers(version, period, count, start=0):
    """`count` other cities with published named results (scores spread 10–90)."""
    engine = Engine(version.definition)
    country = Country.objects.get(code="KR")
    for n in range(start, start + count):
        city = City.objects.create(
            slug=f"peer-{n}",
            name=f"Peer {n}",
            country=country,
            region=country.region or City.objects.first().region,
            latitude=35 + n % 5,
            longitude=127,
            timezone="Asia/Seoul",
        )
        Membership.objects.create(city=city, kind="member")
        CityProfile.objects.create(city=city, population_band="1m_5m", budget_band="medium", income_group="high")
        level = 1 + n % 5
        answers = {
            "GV-01": {"value": level},
            "GV-02": {"value": min(3, level)},
            "GV-03": {"value": True},
            "GV-04": {"value": 20 * level},
            "SV-001": {"status": "operating", "level": level, "utilization": 50},
            "SV-002": {"status": "planned"},
        }
        result = engine.score(answers)
        assessment = Assessment.objects.create(
            city=city,
            framework_version=version,
            period=period,
            status="published",
            sharing="named" if n % 3 else "anonymous",
        )
        ScoreSnapshot.objects.create(
            assessment=assessment,
            overall_score=result.overall.score,
            overall_level=result.overall.level,
            figures=result.to_dict(),
        )
    recompute(version.pk, period)
    refresh_public_results(version.framework_id)


def save_city_in_admin(admin, city, **changes):
    """Post the city's admin form (with its membership and profile inlines) changed by `changes`."""
    page = admin.get(f"/admin/cities/city/{city.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, dict | list)}
    data.update({"country": city.country_id, "region": city.region_id, "local_names": "{}", **changes})
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for field in management:
            data[f"{management.prefix}-{field.name}"] = field.value()
        for inline in formset.formset.forms:
            data.update({f"{inline.prefix}-{f.name}": f.value() for f in inline if f.value() is not None})
    response = admin.post(f"/admin/cities/city/{city.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
