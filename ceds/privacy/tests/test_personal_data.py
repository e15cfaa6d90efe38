"""Personal data: a user's own copy, erasure on request (pseudonymised audit), retention."""

import io
import json
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from ceds.accounts import services as account_services
from ceds.accounts.models import CityRole, Invitation, User
from ceds.api.models import ApiToken
from ceds.api.tokens import create_token
from ceds.assessments import services as workflow
from ceds.assessments.models import Comment, Evidence
from ceds.core.models import AuditEvent
from ceds.frameworks.models import Item
from ceds.privacy import personal_data
from conftest import PASSWORD


@pytest.fixture
def departing(api_world):
    """Hana Kim, contributor of city A: invited, commented, a token, TOTP, a removed role."""
    world = api_world
    hana = world["a_contributor"]
    User.objects.filter(pk=hana.pk).update(first_name="Hana", last_name="Kim")
    hana.refresh_from_db()
    draft = world.extra["draft"]
    item = Item.objects.get(framework_version=draft.framework_version, code="GV-01")
    workflow.add_comment(hana, draft, item, "Budget figures are from the 2025 plan.")
    account_services.invite(world["a_coordinator"], hana.email, city=world.city_b, city_role="viewer")
    create_token(hana, "Hana Kim's sync script")
    TOTP.activate(hana, generate_totp_secret())
    role = CityRole.objects.create(user=hana, city=world.city_b, role="viewer")
    account_services.remove_city_role(world["b_coordinator"], role)
    return world, hana, draft, item


def _quotes(event, *words) -> bool:
    text = (event.object_repr + json.dumps(event.changes, ensure_ascii=False)).lower()
    return any(word.lower() in text for word in words)


def test_a_user_downloads_what_we_hold_about_them(departing, client_for):
    world, hana, _draft, _item = departing
    client = client_for(hana)
    assert 'href="/me/data/"' in client.get("/me/").content.decode()
    assert client.get("/me/data/").status_code == 200
    response = client.get("/me/data/?download=json")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="ceds-my-data.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == hana.email and data["profile"]["last_name"] == "Kim"
    assert [(r["city_slug"], r["role"]) for r in data["roles"]["cities"]] == [("seoul", "contributor")]
    assert [c["body"] for c in data["comments"]] == ["Budget figures are from the 2025 plan."]
    assert {t["name"] for t in data["api_tokens"]} == {"tests", "Hana Kim's sync script"}
    assert [f["type"] for f in data["second_factors"]] == ["totp"]
    assert [i["kind"] for i in data["invitations"]] == ["city"]
    assert "token.create" in {e["action"] for e in data["audit_events"]}
    assert all(e["action"] != "role.remove" for e in data["audit_events"]), "only events by them"
    # Never a secret, a digest, or anybody else's account.
    text = response.content.decode()
    for token in ApiToken.objects.filter(user=hana):
        assert token.digest not in text
    i = text.find(world["a_coordinator"].email)
    assert i < 0, text[i - 300 : i + 100]
    assert AuditEvent.objects.filter(actor=hana, action="personal_data.export").exists()
    assert Client().get("/me/data/?download=json").status_code == 302


def test_erasure_removes_personal_data_and_pseudonymises_the_audit_log(departing):
    world, hana, draft, item = departing
    email = hana.email
    quoting = AuditEvent.objects.filter(models.Q(object_repr__icontains="Hana") | models.Q(changes__icontains=email))
    assert quoting.count() >= 3, "the log quotes her name and address before"
    events_before = list(AuditEvent.objects.values_list("pk", "action", "actor_id", "at").order_by("pk"))

    out = io.StringIO()
    call_command("erase_user", email.upper(), stdout=out)
    assert f"now erased-user-{hana.pk}" in out.getvalue()

    hana.refresh_from_db()
    assert hana.email == f"erased-user-{hana.pk}@erased.invalid"
    assert (hana.first_name, hana.last_name, hana.is_active, hana.has_usable_password()) == ("", "", False, False)
    assert not hana.city_roles.exists() and not ApiToken.objects.filter(user=hana).exists()
    assert not Invitation.objects.filter(email__iexact=email).exists()
    assert Invitation.objects.get(email=hana.email).revoked, "her pending invitation cannot be used"
    # What happened is kept: every event, same action, actor and time; plus the erasure itself.
    after = list(AuditEvent.objects.values_list("pk", "action", "actor_id", "at").order_by("pk"))
    assert after[: len(events_before)] == events_before
    assert after[-1][1] == "user.erase"
    quoting = [e for e in AuditEvent.objects.all() if _quotes(e, email, "Hana Kim")]
    assert not quoting, [(e.action, e.object_repr, e.changes) for e in quoting]
    assert AuditEvent.objects.filter(object_repr__contains=f"erased-user-{hana.pk}").exists()
    # Her comment stays with the city, under the pseudonym; her colleagues are untouched.
    assert Comment.objects.get(assessment=draft, item=item).author_id == hana.pk
    assert User.objects.get(pk=world["a_coordinator"].pk).email == "a_coordinator@example.org"
    # She cannot sign in any more, with her old address or otherwise.
    assert Client().post("/accounts/login/", {"login": email, "password": PASSWORD}).status_code == 200
    # The log stays append-only for everything else.
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_only_a_secretariat_admin_erases_and_never_themselves(departing, client_for):
    world, hana, _draft, _item = departing
    with pytest.raises(PermissionDenied):
        personal_data.erase(world["a_coordinator"], hana)
    admin = client_for(world["secretariat"])
    changelist = "/admin/accounts/user/"
    form = {"action": "erase_personal_data", "_selected_action": [hana.pk]}
    confirm = admin.post(changelist, form)
    assert confirm.status_code == 200 and b"cannot be undone" in confirm.content
    assert User.objects.get(pk=hana.pk).email == "a_contributor@example.org", "nothing before confirming"
    assert admin.post(changelist, {**form, "confirmed": "yes"}).status_code == 302
    assert User.objects.get(pk=hana.pk).email.endswith("@erased.invalid")
    admin.post(changelist, {**form, "_selected_action": [world["secretariat"].pk], "confirmed": "yes"})
    assert User.objects.get(pk=world["secretariat"].pk).is_active


def test_retention_deletes_old_evidence_of_closed_cycles_and_old_audit_events(
    departing, settings, tmp_path, django_capture_on_commit_callbacks
):
    _world, hana, draft, item = departing
    settings.MEDIA_ROOT = tmp_path
    settings.CEDS_EVIDENCE_RETENTION_DAYS = 365
    settings.CEDS_AUDIT_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=400)

    def evidence(name):
        return Evidence.objects.create(
            assessment=draft, item=item, file=ContentFile(b"%PDF-1.4", name=name), original_name=name, uploaded_by=hana
        )

    old, recent = evidence("old.pdf"), evidence("recent.pdf")
    Evidence.objects.filter(pk=old.pk).update(uploaded_at=long_ago)
    old_events = AuditEvent.objects.order_by("pk")[:3]
    models.QuerySet.update(AuditEvent.objects.filter(pk__in=[e.pk for e in old_events]), at=long_ago)
    total = AuditEvent.objects.count()

    # An open cycle keeps all of its evidence.
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "evidence: would delete 0" in out.getvalue() and "audit_events: would delete 3" in out.getvalue()
    assert AuditEvent.objects.count() == total

    type(draft).objects.filter(pk=draft.pk).update(status="archived")
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "evidence: would delete 1" in out.getvalue()
    assert Evidence.objects.count() == 2 and (tmp_path / old.file.name).exists()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone
        call_command("apply_retention", stdout=out)
    assert "evidence: deleted 1" in out.getvalue() and "audit_events: deleted 3" in out.getvalue()
    assert list(Evidence.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not (tmp_path / old.file.name).exists() and (tmp_path / recent.file.name).exists()
    assert AuditEvent.objects.count() == total - 3

    settings.CEDS_AUDIT_RETENTION_DAYS = 0  # 0 keeps for ever
    assert personal_data.apply_retention(now=timezone.now() + timedelta(days=9999))["audit_events"] == 0


def test_pseudonymising_replaces_whole_names_only(world):
    from ceds.core import audit

    event = audit.record(
        world["a_coordinator"], "note", world.city_a, {"text": [None, "Ann Lee, Annual plan (ANN LEE)"]}
    )
    assert audit.pseudonymise({"Ann Lee": "erased-user-9", "": "ignored"}) == 1
    event.refresh_from_db()
    assert event.changes == {"text": [None, "erased-user-9, Annual plan (erased-user-9)"]}


def test_erasing_an_unknown_address_names_it(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("erase_user", "nobody@example.org", stdout=io.StringIO())
