"""The page and the API apply one rule each: the version a new cycle may use, the items an
action may be linked to (with the same, translated, message)."""

from ceds.assessments.models import Assessment
from ceds.frameworks.models import FrameworkVersion, newest_versions
from ceds.solutions.models import Action


def _second_version(version) -> FrameworkVersion:
    return FrameworkVersion.objects.create(
        framework_id=version.framework_id,
        version=version.version + 1,
        title=version.title,
        definition=version.definition,
        checksum="second",
    )


def test_a_new_cycle_uses_the_newest_version_on_the_page_and_in_the_api(api_world, api, client_for):
    first = api_world.extra["version"]
    second = _second_version(first)
    assert list(newest_versions().filter(framework_id="kinds")) == [second]
    page = client_for(api_world["a_coordinator"]).post(
        f"/cities/{api_world.city_a.slug}/assessments/", {"framework_version": first.pk, "period": "2019"}
    )
    assert page.status_code == 200 and "framework_version" in page.context["form"].errors
    client = api("a_coordinator")
    older = client.post(
        "/api/v1/assessments/",
        {"city": "seoul", "framework": "kinds", "version": first.version, "period": "2019"},
        content_type="application/json",
    )
    assert older.status_code == 409 and older.json()["code"] == "outdated_version"
    assert not Assessment.objects.filter(period="2019").exists()
    newest = client.post(
        "/api/v1/assessments/",
        {"city": "seoul", "framework": "kinds", "period": "2019"},
        content_type="application/json",
    )
    assert newest.status_code == 201 and newest.json()["version"] == second.version


def test_linked_items_are_refused_alike_and_translated_in_the_api(api_world, api, client_for):
    draft = api_world.extra["draft"]
    page = client_for(api_world["a_coordinator"]).post(
        f"/assessments/{draft.pk}/actions/", {"new-title": "Train staff", "new-linked": "GV-01, ZZ-1"}
    )
    assert "Not items of this framework: ZZ-1" in page.content.decode()
    refused = api("a_coordinator").post(
        f"/api/v1/assessments/{draft.pk}/actions/",
        {"title": "Train staff", "linked_items": ["GV-01", "zz-1"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "linked_items", "message": "Éléments n'appartenant pas à ce référentiel\u00a0: ZZ-1"}
    ]
    not_a_list = api("a_coordinator").post(
        f"/api/v1/assessments/{draft.pk}/actions/",
        {"title": "Train staff", "linked_items": "GV-01"},
        content_type="application/json",
    )
    assert not_a_list.status_code == 400 and not_a_list.json()["errors"][0]["field"] == "linked_items"
    assert not Action.objects.exists()


def test_the_api_sets_a_target_through_the_same_rule_as_the_pages(api_world, api):
    from ceds.assessments.models import SectionTarget
    from ceds.core.models import AuditEvent

    draft = api_world.extra["draft"]
    url = f"/api/v1/assessments/{draft.pk}/targets/GV/"
    client = api("a_coordinator")
    for level in (0, 6, "4"):
        refused = client.put(url, {"level": level}, content_type="application/json")
        assert refused.status_code == 400, level
    assert (
        "A target is a level from 1 to 5."
        in client.put(url, {"level": 6}, content_type="application/json").json()["detail"]
    )
    assert client.put(url, {"level": 4}, content_type="application/json").json() == {"level": 4}
    assert SectionTarget.objects.get(assessment=draft).level == 4
    assert client.put(url, {"level": None}, content_type="application/json").status_code == 200
    assert not SectionTarget.objects.exists()
    assert api("a_viewer").put(url, {"level": 3}, content_type="application/json").status_code == 403
    assert (
        client.put(
            f"/api/v1/assessments/{draft.pk}/targets/ZZ/", {"level": 3}, content_type="application/json"
        ).status_code
        == 404
    )
    actions = AuditEvent.objects.filter(object_id=str(draft.pk), action__startswith="target").values_list(
        "action", flat=True
    )
    assert list(actions) == ["target.set", "target.set"]
