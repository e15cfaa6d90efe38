"""The permission matrix: every URL of our apps, every persona, the exact status.

URLs are enumerated from the URLconf, so a new URL without a rule here fails
test_every_url_has_a_rule. A refused POST must leave the database unchanged.
Third-party URL groups (Django admin, allauth) are checked separately at the end.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from ceds.accounts.models import CityRole, Invitation
from ceds.api.models import ApiToken, OpenDataLicence
from ceds.cities.models import BudgetYear
from ceds.core.tests.personas import PERSONAS


def row(*statuses):
    assert len(statuses) == len(PERSONAS)
    return dict(zip(PERSONAS, statuses, strict=True))


#                      a_co a_ct a_vw b_co b_ct b_vw reg  sec  ana  out  anon
PUBLIC = row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302)
READ_CITY_A = row(200, 200, 200, 404, 404, 404, 200, 200, 200, 404, 302)
MANAGE_CITY_A = row(200, 403, 403, 404, 404, 404, 403, 200, 403, 404, 302)
SECRETARIAT = row(403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 302)
SECRETARIAT_ADMIN = row(403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 302)
# A valid invitation for someone without an account: signed-in people are the wrong user.
INVITATION = row(403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)
# POST after success redirects (302); refusals as for reading/managing.
POST_MANAGE_CITY_A = row(302, 403, 403, 404, 404, 404, 403, 302, 403, 404, 302)
POST_ANYONE = row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)


# Assessments (a draft of city A).            a_co a_ct a_vw b_co b_ct b_vw reg  sec  ana  out  anon
OPEN_ASSESSMENT = row(302, 403, 403, 404, 404, 404, 403, 403, 403, 404, 302)
EDIT_DRAFT = row(302, 403, 403, 404, 404, 404, 403, 403, 403, 404, 302)
COMMENT = row(302, 302, 403, 404, 404, 404, 302, 302, 302, 404, 302)
REMIND = row(302, 403, 403, 404, 404, 404, 302, 403, 403, 404, 302)
VALIDATORS = row(403, 403, 403, 404, 404, 404, 200, 200, 200, 404, 302)
IMPORT = row(200, 403, 403, 404, 404, 404, 403, 403, 403, 404, 302)
RESULTS_OF_DRAFT = row(200, 404, 404, 404, 404, 404, 200, 200, 200, 404, 302)
NOBODY_SIGNED_IN = row(404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 302)
ARCHIVE = row(302, 403, 403, 404, 404, 404, 403, 302, 403, 404, 302)


def _kwargs(name, world):
    extra = world.extra
    own = name.startswith("assessments:") or name in (
        "dashboard",
        "services",
        "explain",
        "compare",
        "benchmark",
        "history",
        "plan",
        "plan_target",
        "actions",
        "adopt",
        "adopt_steps",
        "action_edit",
        "report",
        "report_reissue",
        "report_pdf",
    )
    pk = extra["assessment_pk"] if own else extra["role_pk"]
    if name in ("practice_edit", "practice_attachment"):
        pk = extra["practice_pk"]
    if name == "api_token_revoke":
        pk = extra["api_token_pk"]
    if name == "city_invitation_resend":
        pk = extra["invitation_pk"]
    if name == "staff_invitation_resend":
        pk = extra["staff_invitation_pk"]
    if name == "notification_open":
        pk = extra["notification_pk"]
    if name in ("audit:decide", "audit:screenshot"):
        pk = extra["proposal_pk"]
    if name == "audit:accept_section":
        pk = extra["assessment_pk"]
    code = {
        "assessments:section": "GV",
        "assessments:target": "GV",
        "audit:accept_section": "GV",
        "plan_target": "GV",
        "module": "strategy",
        "adopt": "strategy",
        "adopt_steps": "strategy",
    }.get(name, extra["code"])
    return {
        "slug": world.city_a.slug,
        "year": 2025,
        "pk": pk,
        "token": extra["token"],
        "code": code,
        "evidence_pk": extra["evidence_pk"],
        "other_pk": extra["assessment_pk"],
        "key": "overall",
        "action_pk": extra["action_pk"],
    }


# url name -> (GET expectation, POST expectation or None when the view takes no POST,
#              POST data). GET on a POST-only view is a 405 for those who get past login.
RULES = {
    "home": (PUBLIC, None, None),
    "healthz": (PUBLIC, None, None),
    "favicon": (PUBLIC, None, None),
    "audit_log": (SECRETARIAT, None, None),
    "me": (SIGNED_IN, None, None),
    "my_data": (SIGNED_IN, None, None),
    "notifications": (SIGNED_IN, None, None),
    "notifications_read": ("POST_ONLY", POST_ANYONE, {}),
    # Only its reader opens a notice; anyone else's is a 404.
    "notification_open": ("POST_ONLY", row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 302), {}),
    "switch_language": ("POST_ONLY", POST_ANYONE, {"language": "ko", "next": "/"}),
    "cities:list": (SIGNED_IN, None, None),
    "cities:create": (SECRETARIAT_ADMIN, None, None),
    "cities:gazetteer": (SECRETARIAT_ADMIN, None, None),
    "cities:detail": (READ_CITY_A, None, None),
    "cities:profile": (
        MANAGE_CITY_A,
        POST_MANAGE_CITY_A,
        {
            "population_band": "over_5m",
            "budget_band": "large",
            "ict_staff": "90",
            "internet_penetration": "97",
            "income_group": "high",
        },
    ),
    "cities:budget_add": (MANAGE_CITY_A, POST_MANAGE_CITY_A, {"year": "2026", "currency": "USD", "planned": "100"}),
    "cities:budget_edit": (MANAGE_CITY_A, POST_MANAGE_CITY_A, {"currency": "KRW", "planned": "250", "actual": "200"}),
    "cities:budget_delete": ("POST_ONLY", POST_MANAGE_CITY_A, {}),
    "cities:membership": (SECRETARIAT_ADMIN, None, None),
    "city_invite": (MANAGE_CITY_A, POST_MANAGE_CITY_A, {"email": "new.colleague@example.org", "role": "viewer"}),
    "city_role_remove": ("POST_ONLY", POST_MANAGE_CITY_A, {}),
    "staff_invite": (SECRETARIAT_ADMIN, None, None),
    # Hand-over: the coordinator passes the role on (a secretariat admin may appoint one).
    "city_hand_over": (MANAGE_CITY_A, POST_MANAGE_CITY_A, {"colleague": "CONTRIBUTOR", "keep_as": "contributor"}),
    "city_invitation_resend": ("POST_ONLY", POST_MANAGE_CITY_A, {}),
    "staff_invitation_resend": ("POST_ONLY", row(403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 302), {}),
    "invitation_accept": (INVITATION, None, None),
    "city_assessments": (READ_CITY_A, OPEN_ASSESSMENT, {"framework_version": "FRAMEWORK", "period": "2023"}),
    "assessments:detail": (READ_CITY_A, None, None),
    "assessments:section": (READ_CITY_A, None, None),
    "assessments:target": ("POST_ONLY", EDIT_DRAFT, {"target": "4"}),
    "assessments:save_item": ("POST_ONLY", EDIT_DRAFT, {"choice": "4", "base_version": "1"}),
    "assessments:history": (READ_CITY_A, None, None),
    "assessments:add_evidence": ("POST_ONLY", EDIT_DRAFT, {"url": "https://example.org/decision"}),
    "assessments:add_comment": ("POST_ONLY", COMMENT, {"body": "Please attach the decision."}),
    "assessments:evidence": (READ_CITY_A, None, None),
    "assessments:assign": ("POST_ONLY", EDIT_DRAFT, {"section": "SECTION", "assignee": "CONTRIBUTOR"}),
    "assessments:remind": ("POST_ONLY", REMIND, {}),
    "assessments:submit": ("POST_ONLY", EDIT_DRAFT, {}),
    "assessments:review": (
        VALIDATORS,
        row(403, 403, 403, 404, 404, 404, 200, 200, 200, 404, 302),
        {"action": "validate"},
    ),
    "assessments:publish": ("POST_ONLY", EDIT_DRAFT, {"sharing": "named"}),
    "assessments:archive": ("POST_ONLY", ARCHIVE, {}),
    # Only the secretariat reopens a validated result; city A's draft is not one (nothing changes).
    "assessments:reopen": (
        "POST_ONLY",
        row(403, 403, 403, 404, 404, 404, 403, 302, 302, 404, 302),
        {"reason": "A typo in GV-01."},
    ),
    "assessments:workbook": (READ_CITY_A, None, None),
    "assessments:import": (IMPORT, None, None),
    # Results of the draft: provisional figures for the coordinator and validators only.
    "dashboard": (RESULTS_OF_DRAFT, None, None),
    "services": (RESULTS_OF_DRAFT, None, None),
    "explain": (RESULTS_OF_DRAFT, None, None),
    "compare": (RESULTS_OF_DRAFT, None, None),
    "benchmark": (NOBODY_SIGNED_IN, None, None),  # benchmarks compare validated results only
    "history": (READ_CITY_A, None, None),
    # Public pages. City A publishes no result by name, but a best practice of Seoul is
    # in the test content, so its public profile exists.
    "map": (PUBLIC, None, None),
    "rankings": (PUBLIC, None, None),
    "public_city": (PUBLIC, None, None),
    # Solutions: the plan follows the results' rules; targets are the coordinator's; the
    # module and practice libraries are public.
    "plan": (RESULTS_OF_DRAFT, None, None),
    "plan_target": ("POST_ONLY", EDIT_DRAFT, {"target": "5"}),
    "actions": (READ_CITY_A, EDIT_DRAFT, {"new-title": "Train staff", "new-status": "planned"}),
    "adopt": ("POST_ONLY", EDIT_DRAFT, {}),
    "adopt_steps": ("POST_ONLY", EDIT_DRAFT, {"start": "2027-01-04"}),
    "action_edit": (row(200, 403, 403, 404, 404, 404, 403, 403, 403, 404, 302), None, None),
    "report": (RESULTS_OF_DRAFT, None, None),
    "report_pdf": (RESULTS_OF_DRAFT, None, None),
    # Only the coordinator issues a report again; a draft's report is rendered on each view anyway.
    "report_reissue": ("POST_ONLY", EDIT_DRAFT, {}),
    "modules": (PUBLIC, None, None),
    "module": (PUBLIC, None, None),
    "practices": (PUBLIC, None, None),
    "practice_new": (row(200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 302), None, None),
    "practices_mine": (SIGNED_IN, None, None),
    "practice_review": (SECRETARIAT, None, None),
    # A case of city A waiting for changes: only its submitter may edit it, and nobody can
    # download an unpublished case's attachment.
    "practice_edit": (row(200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 302), None, None),
    "practice_attachment": (row(*[404] * 11), None, None),
    # API pages: everyone manages their own tokens; the secretariat imports indices and sets
    # the open-data licence. The API itself has its own matrix (ceds/api/tests).
    "api_tokens": (SIGNED_IN, row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302), {"name": "script"}),
    "api_token_revoke": ("POST_ONLY", row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 302), {}),
    "indices": (SECRETARIAT, None, None),
    "open_data": (
        PUBLIC,
        row(403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403),
        {"licence": "CC0-1.0", "attribution": "WeGO"},
    ),
    # Portal audit: the city's team and its validators read the findings; its coordinator (or a
    # secretariat admin) runs an audit; accepting or disputing is answering, so it follows EDIT_DRAFT.
    "audit:page": (READ_CITY_A, None, None),
    "audit:run": ("POST_ONLY", POST_MANAGE_CITY_A, {}),
    "audit:decide": ("POST_ONLY", EDIT_DRAFT, {"action": "dispute"}),
    "audit:accept_section": ("POST_ONLY", EDIT_DRAFT, {}),
    "audit:screenshot": (READ_CITY_A, None, None),
}
# Accepted POSTs answered with the page again (200) that change the database.
CHANGES_WITH_200 = {"api_tokens"}
# Accepted POSTs that rightly change nothing in this state (a draft with missing answers).
NO_CHANGE_WHEN_ACCEPTED = {
    "assessments:submit",
    "assessments:publish",
    "assessments:review",
    "assessments:remind",
    "assessments:reopen",
    "report_reissue",
    "audit:run",  # city A has no portal address: the page says so and nothing starts
    "notifications_read",  # only city A's coordinator has a notice to mark read
}


def _own_patterns(resolver=None, namespace=""):
    """(qualified name, pattern) for every named URL whose view lives in the ceds package."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _own_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            module = getattr(entry.callback, "__module__", "")
            if module.startswith("ceds.") and not f"{namespace}{entry.name}".startswith("api:"):
                yield f"{namespace}{entry.name}", entry


def test_every_url_has_a_rule():
    names = {name for name, _pattern in _own_patterns()}
    assert names, "no URLs found"
    missing = sorted(names - set(RULES))
    assert not missing, f"URLs without a permission rule: {missing}"
    assert not sorted(set(RULES) - names), "rules for URLs that no longer exist"


@pytest.fixture
def matrix_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    BudgetYear.objects.create(city=world.city_a, year=2025, currency="USD", planned=1000, actual=900)
    # The role removed by city_role_remove: city A's viewer (never the actor).
    world.extra = {"role_pk": CityRole.objects.get(user=world["a_viewer"]).pk}
    from ceds.accounts import services

    invitation, token = services.invite(
        world["secretariat"], "invitee@example.org", city=world.city_a, city_role="viewer"
    )
    world.extra["token"] = token
    world.extra["invitation_pk"] = invitation.pk
    staff_invitation, _token = services.invite(world["secretariat"], "office@example.org", region=world.region_b)
    world.extra["staff_invitation_pk"] = staff_invitation.pk
    from ceds.api.tokens import create_token

    world.extra["api_token_pk"] = create_token(world["a_coordinator"], "matrix")[0].pk
    from ceds.core.models import Notification

    world.extra["notification_pk"] = Notification.objects.create(user=world["a_coordinator"], kind="validated").pk
    # A draft assessment of city A with one answer and one piece of evidence.
    from ceds.assessments import services as assessment_services
    from ceds.assessments.models import Evidence
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion, Item

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    assessment = assessment_services.open_assessment(world["a_coordinator"], world.city_a, version, "2026")
    item = Item.objects.get(framework_version=version, code="GV-01")
    assessment_services.save_answer(world["a_coordinator"], assessment, item, {"value": 3}, 0)
    from django.core.files.base import ContentFile

    evidence = Evidence(assessment=assessment, item=item, original_name="plan.pdf", content_type="application/pdf")
    evidence.file.save("plan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    from ceds.solutions.models import Action

    action = Action.objects.create(city=world.city_a, assessment=assessment, title="Approve the strategy")
    from ceds.audit.models import AuditRun, Proposal

    run = AuditRun.objects.create(
        city=world.city_a, assessment=assessment, url="https://portal.example/", status="done"
    )
    proposal = Proposal(
        run=run,
        assessment=assessment,
        item_code="GV-01",
        section_code=item.section.code,
        check_name="privacy_policy",
        present=True,
        answer={"value": 4},
        evidence_url="https://portal.example/privacy",
    )
    proposal.screenshot.save("GV-01.jpg", ContentFile(b"\xff\xd8\xff\xe0 test"), save=True)
    from ceds.solutions.models import Practice

    case = Practice.objects.create(
        code="city-seoul-test",
        origin="city",
        status="changes_requested",
        title={"en": "Kiosks"},
        city_name="Seoul",
        country="KR",
        year=2024,
        city=world.city_a,
        submitted_by=world["a_coordinator"],
        data={
            "title": {"en": "Kiosks"},
            "summary": {"en": "Kiosks in districts."},
            "categories": ["services"],
            "sections": [],
        },
    )
    world.extra.update(
        action_pk=action.pk,
        proposal_pk=proposal.pk,
        practice_pk=case.pk,
        assessment_pk=assessment.pk,
        code="GV-01",
        evidence_pk=evidence.pk,
        substitutions={
            "FRAMEWORK": str(version.pk),
            "SECTION": str(item.section_id),
            "CONTRIBUTOR": str(world["a_contributor"].pk),
        },
    )
    return world


def _client(world, client_for, persona):
    return client_for(None if persona == "anonymous" else world[persona])


def _url(name, world):
    from django.urls import reverse

    pattern = dict(_own_patterns())[name]
    wanted = set(pattern.pattern.converters)
    return reverse(name, kwargs={k: v for k, v in _kwargs(name, world).items() if k in wanted})


def _fingerprint():
    """Everything a refused write could have touched."""
    from ceds.assessments.models import Answer, Assessment, Assignment, Comment, Evidence, SectionTarget
    from ceds.cities.models import CityProfile, Membership
    from ceds.core.models import AuditEvent, Notification

    return (
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        list(Assessment.objects.order_by("pk").values()),
        list(Answer.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(Comment.objects.order_by("pk").values_list("pk", "body")),
        list(Evidence.objects.order_by("pk").values_list("pk", "url")),
        list(SectionTarget.objects.order_by("pk").values()),
        list(__import__("ceds.solutions.models", fromlist=["Action"]).Action.objects.order_by("pk").values()),
        list(CityProfile.objects.order_by("pk").values()),
        list(BudgetYear.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(CityRole.objects.order_by("pk").values_list("pk", "user_id", "city_id", "role")),
        list(Invitation.objects.order_by("pk").values_list("pk", "email", "accepted_at", "token_hash")),
        list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(OpenDataLicence.objects.values_list("licence", "attribution")),
        AuditEvent.objects.count(),
        list(__import__("ceds.audit.models", fromlist=["Proposal"]).Proposal.objects.values_list("pk", "state")),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(RULES))
def test_get(name, persona, matrix_world, client_for):
    expected_get = RULES[name][0]
    response = _client(matrix_world, client_for, persona).get(_url(name, matrix_world))
    response.close()  # streamed downloads hold their file open until closed
    if expected_get == "POST_ONLY":
        expected = 302 if persona == "anonymous" and name != "switch_language" else 405
    else:
        expected = expected_get[persona]
    assert response.status_code == expected, f"GET {name} as {persona}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(n for n, rule in RULES.items() if rule[1]))
def test_post(name, persona, matrix_world, client_for):
    _get, expected_post, data = RULES[name]
    data = {k: matrix_world.extra["substitutions"].get(v, v) for k, v in data.items()}
    before = _fingerprint()
    response = _client(matrix_world, client_for, persona).post(_url(name, matrix_world), data)
    expected = expected_post[persona]
    assert response.status_code == expected, f"POST {name} as {persona}: {response.content[:300]!r}"
    if name in CHANGES_WITH_200 and expected == 200:
        assert _fingerprint() != before, f"accepted POST {name} as {persona} changed nothing"
    elif expected != 302 or persona == "anonymous":
        assert _fingerprint() == before, f"refused POST {name} as {persona} changed the database"
    elif name != "switch_language" and name not in NO_CHANGE_WHEN_ACCEPTED:
        assert _fingerprint() != before, f"accepted POST {name} as {persona} changed nothing"


@pytest.mark.parametrize(("persona", "expected"), [("secretariat", 200), ("a_coordinator", 302), ("anonymous", 302)])
def test_django_admin_is_for_secretariat_admins(persona, expected, matrix_world, client_for):
    response = _client(matrix_world, client_for, persona).get("/admin/cities/city/")
    assert response.status_code == expected


def test_sign_in_page_is_public(client, db):  # the page lists the sign-in providers stored in the admin
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/accounts/signup/").status_code == 200  # says sign-up is closed
