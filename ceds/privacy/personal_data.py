"""Personal data: what we hold about a person, their copy of it, its erasure, and retention.

It gathers rows from several apps (accounts, assessments, api, allauth, axes), so it lives
here beside the access helpers, above the domain apps. Called alike by pages, the admin and
management commands.

- export_for(user): everything we hold about the user, as plain JSON-ready data;
- erase(actor, user): a departed user's personal data, erased on request by the secretariat;
  the account row stays as a pseudonym so that the audit log keeps what happened;
- apply_retention(): evidence and audit events past their retention periods, deleted.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.accounts.models import Invitation, User
from ceds.assessments.models import Assessment, Comment, Evidence
from ceds.core import audit
from ceds.core.models import AuditEvent

FORMAT = "ceds-personal-data/1"


def _iso(value):
    return value.isoformat() if value is not None else None


def export_for(user) -> dict:
    """What CeDS holds about `user`: profile, roles, invitations, their audit events, comments,
    evidence they attached, token metadata (never secrets or digests), second factors
    (never their secrets), accounts linked at an organisation's sign-in service and the
    sign-in records."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from axes.models import AccessAttempt, AccessLog

    comments = Comment.objects.filter(author=user).select_related("assessment__city", "item").order_by("created_at")
    evidence = Evidence.objects.filter(uploaded_by=user).select_related("assessment__city", "item")
    events = AuditEvent.objects.filter(actor=user).select_related("city").order_by("at", "id")
    return {
        "format": FORMAT,
        "exported_at": _iso(timezone.now()),
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "secretariat_role": user.secretariat_role,
            "is_active": user.is_active,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "roles": {
            "cities": [
                {
                    "city": role.city.name,
                    "city_slug": role.city.slug,
                    "role": role.role,
                    "granted_at": _iso(role.granted_at),
                }
                for role in user.city_roles.select_related("city")
            ],
            "regions": [
                {"region": role.region.code, "granted_at": _iso(role.granted_at)}
                for role in user.region_roles.select_related("region")
            ],
        },
        "invitations": [
            {
                "kind": invitation.kind,
                "role": invitation.describe(),
                "created_at": _iso(invitation.created_at),
                "accepted_at": _iso(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(email__iexact=user.email).select_related("city", "region")
        ],
        "audit_events": [
            {
                "at": _iso(event.at),
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "object": event.object_repr,
                "city": event.city.name if event.city else None,
                "changes": event.changes,
            }
            for event in events
        ],
        "comments": [
            {
                "assessment": comment.assessment_id,
                "city": comment.assessment.city.name,
                "period": comment.assessment.period,
                "item": comment.item.code,
                "body": comment.body,
                "review": comment.review,
                "created_at": _iso(comment.created_at),
            }
            for comment in comments
        ],
        "evidence": [
            {
                "assessment": item.assessment_id,
                "city": item.assessment.city.name,
                "item": item.item.code,
                "file_name": item.original_name,
                "link": item.url,
                "uploaded_at": _iso(item.uploaded_at),
            }
            for item in evidence
        ],
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": _iso(token.created_at),
                "last_used_at": _iso(token.last_used_at),
                "expires_at": _iso(token.expires_at),
                "revoked_at": _iso(token.revoked_at),
                "created_after_second_factor": token.second_factor,
            }
            for token in user.api_tokens.all()
        ],
        "second_factors": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user)
        ],
        "linked_sign_in_accounts": [
            {"provider": account.provider, "subject": account.uid, "claims": account.extra_data}
            for account in SocialAccount.objects.filter(user=user)
        ],
        "sign_ins": [
            {"at": _iso(log.attempt_time), "address": log.ip_address, "user_agent": log.user_agent}
            for log in AccessLog.objects.filter(username=user.email).order_by("attempt_time")
        ],
        "failed_sign_ins": [
            {
                "last_at": _iso(attempt.attempt_time),
                "address": attempt.ip_address,
                "user_agent": attempt.user_agent,
                "failures": attempt.failures_since_start,
            }
            for attempt in AccessAttempt.objects.filter(username=user.email)
        ],
    }


def pseudonym(user) -> str:
    return f"erased-user-{user.pk}"


@transaction.atomic
def erase(actor, user) -> dict[str, int]:
    """Erase a departed user's personal data; returns what was removed or rewritten, by kind.

    Removed: name, e-mail (replaced by a pseudonym), password, language, roles, tokens,
    second factors, e-mail records, sign-in records; the account is deactivated. The e-mail
    and name are replaced by the pseudonym wherever the audit log and invitations quote them.
    Kept: what the person did for their city (answers, comments, evidence), now attributed to
    the pseudonym, and the audit log's record of what happened. `actor` None: an operator at
    the command line; otherwise a secretariat admin, who cannot erase themselves.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if actor is not None and not roles.is_secretariat_admin(actor):
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot erase your own account."))
    if user.email.endswith("@erased.invalid"):
        raise ValidationError(_("This account's personal data is already erased."))
    name, email, alias = user.get_full_name(), user.email, pseudonym(user)
    counts = {
        "city_roles": user.city_roles.all().delete()[0],
        "region_roles": user.region_roles.all().delete()[0],
        "api_tokens": user.api_tokens.all().delete()[0],
        "second_factors": Authenticator.objects.filter(user=user).delete()[0],
        "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
        "linked_sign_in_accounts": SocialAccount.objects.filter(user=user).delete()[0],
        "sign_in_records": sum(
            model.objects.filter(username__iexact=email).delete()[0]
            for model in (AccessAttempt, AccessLog, AccessFailureLog)
        ),
        # Kept as the record of who was invited to what; a pending one can no longer be used.
        "invitations": Invitation.objects.filter(email__iexact=email).update(
            email=f"{alias}@erased.invalid", revoked=True
        ),
    }
    user.email = f"{alias}@erased.invalid"
    user.first_name = user.last_name = user.language = user.secretariat_role = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()  # also ends every session: their auth hash no longer matches
    user.save()
    counts["audit_events"] = audit.pseudonymise({email: alias, **({name: alias} if name else {})})
    audit.record(actor, "user.erase", user, {"erased": counts})
    return counts


def retention_cutoffs(now=None) -> dict[str, object]:
    """The oldest moment still kept, per kind; None where the period is 0 (keep for ever)."""
    now = now or timezone.now()
    return {
        kind: (now - timedelta(days=days) if days else None)
        for kind, days in (
            ("evidence", settings.CEDS_EVIDENCE_RETENTION_DAYS),
            ("audit_events", settings.CEDS_AUDIT_RETENTION_DAYS),
        )
    }


def apply_retention(*, now=None, dry_run: bool = False) -> dict[str, int]:
    """Delete evidence and audit events older than their retention periods; returns the counts.

    Evidence counts from its upload and only on closed cycles (validated, published,
    archived): an open cycle keeps all of its evidence. Files go through the storage API.
    """
    cutoffs = retention_cutoffs(now)
    counts = {"evidence": 0, "audit_events": 0}
    if cutoffs["evidence"] is not None:
        expired = Evidence.objects.filter(uploaded_at__lt=cutoffs["evidence"]).exclude(
            assessment__status__in=[*Assessment.OPEN_STATUSES, Assessment.Status.SUBMITTED]
        )
        counts["evidence"] = expired.count()
        if not dry_run:
            for item in expired.iterator():
                with transaction.atomic():
                    if item.file:
                        transaction.on_commit(
                            lambda name=item.file.name, storage=item.file.storage: storage.delete(name)
                        )
                    item.delete()
    if cutoffs["audit_events"] is not None:
        counts["audit_events"] = audit.expire(cutoffs["audit_events"], dry_run=dry_run)
    return counts
