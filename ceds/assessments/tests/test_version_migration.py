"""Moving cities to a new framework version: open drafts stay on theirs, a new cycle uses the
newest version and carries answers through its crosswalk (marked to confirm), history and
comparison read across versions.

Items are picked from the loaded crosswalk, not named, so the test holds for any complete
version 2.
"""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from ceds.assessments import services
from ceds.assessments.answers import parse_answer
from ceds.assessments.models import Answer, Assessment
from ceds.assessments.scoring import store_snapshot
from ceds.frameworks.crosswalk import DROPPED, carry_map
from ceds.frameworks.models import FrameworkVersion, Item

GOLDEN = Path(__file__).parent / "fixtures" / "golden_city.yaml"


def test_carry_map_drops_skips_other_kinds_and_keeps_one_answer_per_new_item():
    old = {"A-01": "level", "A-02": "level", "A-03": "level", "B-01": "service", "B-02": "service"}
    new = {"A-01": "level", "A-04": "level", "B-01": "level", "B-03": "service"}
    crosswalk = {"items": {"A-02": "A-01", "A-03": "A-04", "B-01": "B-01", "B-02": DROPPED}}
    # A-02 also maps to A-01, which kept its id: A-01's own answer wins. B-01 changed kind.
    assert carry_map(old, new, crosswalk) == {"A-01": "A-01", "A-03": "A-04"}
    assert carry_map(old, new, None) == {"A-01": "A-01"}


@pytest.fixture
def ceds(world):
    call_command("load_content", stdout=io.StringIO())
    versions = list(FrameworkVersion.objects.filter(framework_id="ceds").order_by("version"))
    assert len(versions) >= 2 and versions[-1].crosswalk, "a newer CeDS version with a crosswalk"
    return versions[-2], versions[-1]


def _validated_v1(world, version, period="2025"):
    answers = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))["answers"]
    assessment = Assessment.objects.create(city=world.city_a, framework_version=version, period=period)
    items = {i.code: i for i in Item.objects.filter(framework_version=version)}
    Answer.objects.bulk_create(Answer(assessment=assessment, item=items[c], value=v) for c, v in answers.items())
    Assessment.objects.filter(pk=assessment.pk).update(status="published", sharing="named")
    assessment.refresh_from_db()
    store_snapshot(assessment)
    return assessment, answers


def test_a_new_cycle_uses_the_newest_version_and_carries_answers_through_the_crosswalk(world, ceds, client_for):
    old, new = ceds
    previous, answers = _validated_v1(world, old)
    coordinator = client_for(world["a_coordinator"])
    page = coordinator.get(f"/cities/{world.city_a.slug}/assessments/")
    offered = list(page.context["form"].fields["framework_version"].queryset.filter(framework_id="ceds"))
    assert offered == [new], "only the newest version is offered for a new cycle"
    response = coordinator.post(
        f"/cities/{world.city_a.slug}/assessments/",
        {"framework_version": new.pk, "period": "2026", "carry_forward": "on"},
    )
    assert response.status_code == 302
    current = Assessment.objects.get(city=world.city_a, period="2026")
    assert current.framework_version == new and current.carried_from == previous

    carried = {
        code: (value, flag)
        for code, value, flag in Answer.objects.filter(assessment=current).values_list(
            "item__code", "value", "carried_forward"
        )
    }
    assert all(flag for _value, flag in carried.values()), "every carried answer is marked for confirmation"
    mapping = new.crosswalk["items"]
    new_kinds = dict(Item.objects.filter(framework_version=new).values_list("code", "kind"))
    old_kinds = dict(Item.objects.filter(framework_version=old).values_list("code", "kind"))
    expected = carry_map(old_kinds, new_kinds, new.crosswalk)
    assert {expected[code] for code in answers if code in expected} == set(carried)
    for old_code, new_code in expected.items():
        assert carried[new_code][0] == answers[old_code]
    for old_code, target in mapping.items():
        if target == DROPPED and old_code not in new_kinds:
            assert old_code not in carried, f"{old_code} is dropped and not carried"
    renamed = [(o, n) for o, n in expected.items() if o != n]
    if renamed:  # an item that changed id carries its answer to the new id
        assert renamed[0][1] in carried and renamed[0][0] not in new_kinds

    detail = coordinator.get(f"/assessments/{current.pk}/").content.decode()
    assert f"on version {old.version} of the framework, were carried to version {new.version}" in detail

    # The section page marks the carried answers.
    code = next(iter(carried))
    section = Item.objects.get(framework_version=new, code=code).section.code
    text = coordinator.get(f"/assessments/{current.pk}/sections/{section}/").content.decode()
    assert "Carried forward from the previous cycle: confirm or change" in text
    if renamed:  # an answer that changed id says where it came from
        old_code, new_code = renamed[0]
        section = Item.objects.get(framework_version=new, code=new_code).section.code
        text = coordinator.get(f"/assessments/{current.pk}/sections/{section}/").content.decode()
        assert f"Carried forward from {old_code} of the previous cycle: confirm or change" in text


def test_an_open_draft_on_the_older_version_keeps_working_but_a_new_cycle_starts_on_the_newest(world, ceds):
    old, new = ceds
    draft = Assessment.objects.create(city=world.city_a, framework_version=old, period="2025")  # opened before
    item = Item.objects.filter(framework_version=old, kind="level").order_by("position").first()
    answer = services.save_answer(world["a_coordinator"], draft, item, parse_answer(item.data, {"choice": "3"}), 0)
    assert answer.value == {"value": 3} and draft.framework_version == old
    with pytest.raises(services.WorkflowError) as refused:
        services.open_assessment(world["a_coordinator"], world.city_a, old, "2026")
    assert refused.value.code == "outdated_version" and f"(version {new.version})" in refused.value.messages[0]
    assert refused.value.is_state_conflict, "the API answers 409 with the code"
    assert not Assessment.objects.filter(period="2026").exists()


def test_history_and_comparison_read_across_versions(world, ceds, client_for):
    old, new = ceds
    previous, answers = _validated_v1(world, old, "2024")
    current = services.open_assessment(world["a_coordinator"], world.city_a, new, "2025", carry_forward=True)
    expected = carry_map(
        dict(Item.objects.filter(framework_version=old).values_list("code", "kind")),
        dict(Item.objects.filter(framework_version=new).values_list("code", "kind")),
        new.crosswalk,
    )
    # One carried level answer changes, so the comparison has something to show.
    old_code, new_code = next(
        (o, n) for o, n in expected.items() if answers[o].get("value") in (1, 2, 3, 4) and "value" in answers[o]
    )
    changed = Answer.objects.get(assessment=current, item__code=new_code)
    changed.value = {"value": answers[old_code]["value"] + 1}
    changed.save()
    Assessment.objects.filter(pk=current.pk).update(status="published", sharing="named")
    current.refresh_from_db()
    store_snapshot(current)
    viewer = client_for(world["a_viewer"])
    history = viewer.get(f"/assessments/{current.pk}/history/")
    assert history.status_code == 200
    assert [s.version for s in history.context["snapshots"]] == [old.version, new.version]
    text = history.content.decode()
    assert f"version {old.version}" in text and f"version {new.version}" in text
    assert all(len(row["values"]) == 2 and row["values"][1] is not None for row in history.context["table"])
    compare = viewer.get(f"/assessments/{current.pk}/compare/{previous.pk}/")
    assert compare.status_code == 200 and compare.context["version_changed"]
    codes = {(c["old_code"], c["code"]) for c in compare.context["changes"]}
    assert (old_code, new_code) in codes
    dropped = {o for o, n in new.crosswalk["items"].items() if n == DROPPED}
    assert not {o for o, _n in codes} & dropped
