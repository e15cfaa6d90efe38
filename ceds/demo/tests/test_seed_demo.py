import io

from django.core.management import call_command
from django.utils import timezone

from ceds.accounts.models import CityRole, RegionRole, User
from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks.models import PeerStat
from ceds.cities.models import BudgetYear, City
from ceds.core.models import AuditEvent


def _seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_is_idempotent_and_complete(db):
    call_command("load_content", stdout=io.StringIO())
    first = _seed()
    counts = (City.objects.count(), User.objects.count(), Assessment.objects.count(), BudgetYear.objects.count())
    second = _seed()
    assert counts == (
        City.objects.count(),
        User.objects.count(),
        Assessment.objects.count(),
        BudgetYear.objects.count(),
    )
    assert "0 new demo assessments" in second and "Demo logins" in first and "seoul.coordinator@" in first

    assert City.objects.count() >= 30
    for slug in ("seoul", "ulyanovsk-region", "khartoum-state", "sennar-state", "barcelona", "nairobi"):
        assert City.objects.filter(slug=slug).exists(), slug
    assert City.objects.get(slug="sennar-state").kind == "administrative_area"
    assert BudgetYear.objects.filter(city__slug="seoul").count() == 3

    validated = Assessment.objects.filter(status__in=["validated", "published"], is_demo=True)
    cities_with_three = {c for c in validated.values_list("city", flat=True) if validated.filter(city=c).count() >= 3}
    assert len(cities_with_three) >= 30
    assert {"named", "anonymous"} <= set(validated.filter(status="published").values_list("sharing", flat=True))
    assert validated.filter(status="validated", sharing="private").exists()
    assert ScoreSnapshot.objects.filter(assessment__in=validated, is_current=True).count() == validated.count()
    assert not validated.filter(validated_at__isnull=True).exists(), "open data dates every demo result"
    assert (
        validated.get(city__slug="seoul", period="2023", framework_version__framework_id="ceds").validated_at.year
        == 2024
    )
    medians = PeerStat.objects.filter(group_kind="all", figure_key="overall", median__isnull=False)
    # Every framework and demo period has peer medians (per version: versions that compare share them),
    # and so does the new cycle of 2026, whose peers are the latest results of 2026 or 2025.
    assert set(medians.values_list("framework_version__framework_id", "period")) == {
        (framework, period)
        for framework in ("ceds", "smart-city", "website")
        for period in ("2023", "2024", "2025", "2026")
    }
    # Frameworks with to-be sections get demo targets, so their dashboards show the gap to the target.
    smart = validated.filter(framework_version__framework_id="smart-city")
    assert smart.count() >= 90 and not smart.filter(targets__isnull=True).exists()

    roles = set(CityRole.objects.filter(city__slug__in=["seoul", "barcelona"]).values_list("city__slug", "role"))
    assert len(roles) == 6
    assert RegionRole.objects.filter(region__code="asia_pacific").exists()
    assert User.objects.filter(secretariat_role="admin", is_demo=True).exists()
    # Issue 23: every role has a next task. Seoul's cycle went to the contributor's sections,
    # was submitted and came back with a comment on one of them (carried notes stay to confirm).
    seoul = Assessment.objects.get(city__slug="seoul", period="2026")
    assert seoul.status == "returned" and seoul.answers.filter(carried_forward=True).exists()
    contributor = User.objects.get(email="seoul.contributor@demo.ceds.local")
    assert set(seoul.assignments.filter(assignee=contributor).values_list("section__code", flat=True)) == {"GM", "CR"}
    returned = seoul.comments.get(review=True)
    assert returned.item.code == "GM-03" and returned.author.email == "asia.office@demo.ceds.local"
    assert set(contributor.notifications.values_list("kind", flat=True)) == {"assigned", "returned"}
    barcelona = Assessment.objects.get(city__slug="barcelona", period="2026", framework_version__framework_id="ceds")
    assert barcelona.status == "draft" and barcelona.assignments.filter(due_date__lt=timezone.localdate()).exists()
    waiting = Assessment.objects.get(status="submitted")
    assert waiting.city.region.code == "asia_pacific" and waiting.city.slug != "seoul"
    office = User.objects.get(email="asia.office@demo.ceds.local")
    assert office.notifications.filter(kind="submitted", url=f"/assessments/{waiting.pk}/review/").exists()
    # Every demo cycle went through the workflow: opened, answered, submitted, validated (audited).
    actions = AuditEvent.objects.filter(object_type="assessments.assessment", object_id=str(seoul.pk))
    assert {"assessment.open", "answer.save", "assessment.submit", "assessment.return"} <= set(
        actions.values_list("action", flat=True)
    )
    history = validated.get(city__slug="nairobi", period="2024", framework_version__framework_id="ceds")
    assert set(
        AuditEvent.objects.filter(object_type="assessments.assessment", object_id=str(history.pk)).values_list(
            "action", flat=True
        )
    ) >= {"assessment.open", "answer.save", "assessment.submit", "assessment.validate", "assessment.publish"}


def test_seed_demo_shows_cycles_on_two_framework_versions(db):
    from ceds.frameworks.models import FrameworkVersion

    call_command("load_content", stdout=io.StringIO())
    versions = list(FrameworkVersion.objects.filter(framework_id="ceds").order_by("version"))
    if len(versions) < 2:
        return
    older, newest = versions[-2], versions[-1]
    _seed()
    seoul = Assessment.objects.filter(city__slug="seoul", framework_version__framework_id="ceds")
    validated = seoul.filter(status__in=["validated", "published"])
    assert set(validated.values_list("framework_version", flat=True)) == {older.pk, newest.pk}
    assert validated.get(period="2025").framework_version == newest
    # Barcelona's validated cycles stay on the older version; its draft carries them to the newest.
    draft = Assessment.objects.get(city__slug="barcelona", period="2026", framework_version__framework_id="ceds")
    assert draft.framework_version == newest and draft.carried_from.framework_version == older
    assert draft.answers.filter(carried_forward=True).count() == draft.answers.count() > 0
