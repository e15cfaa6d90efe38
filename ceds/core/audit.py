"""Writing the audit log. Services call record() inside their transaction."""

import json
import re
from decimal import Decimal

from django.db import models

from ceds.core.models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field whose value changed."""
    return {
        field: [_plain(before.get(field)), _plain(after.get(field))]
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    }


def snapshot(instance: models.Model, fields) -> dict:
    return {name: getattr(instance, name) for name in fields}


def record(actor, action: str, obj: models.Model, changes: dict | None = None, city=None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        city=city,
        changes={k: v if isinstance(v, list) else _plain(v) for k, v in (changes or {}).items()},
    )


# -- the two sanctioned changes to the log: erasure requests and retention ------------------


def _replace_in(value, replacements: dict[str, str]):
    if isinstance(value, str):
        for old, new in replacements.items():
            value = _replace_text(value, old, new)
        return value
    if isinstance(value, list):
        return [_replace_in(v, replacements) for v in value]
    if isinstance(value, dict):
        return {_replace_in(k, replacements): _replace_in(v, replacements) for k, v in value.items()}
    return value


def _replace_text(text: str, old: str, new: str) -> str:
    # Whole words only: a person called "Ann" must not turn "Annual" into a pseudonym.
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", lambda _match: new, text, flags=re.IGNORECASE)


def pseudonymise(replacements: dict[str, str]) -> int:
    """Replace a person's identifiers (e-mail, name) by a pseudonym wherever the log quotes them.

    What happened stays: actions, objects, times, values. The actor link stays too (it
    points at the pseudonymised account), so the events of one person still belong together.
    Returns the number of events changed.
    """
    replacements = {old: new for old, new in replacements.items() if old}
    if not replacements:
        return 0
    condition = models.Q()
    for old in replacements:
        # JSON text may hold non-ASCII as \u escapes (SQLite), so look for both spellings.
        escaped = json.dumps(old)[1:-1]
        condition |= models.Q(object_repr__icontains=old) | models.Q(changes__icontains=old)
        condition |= models.Q(changes__icontains=escaped)
    changed = 0
    for event in AuditEvent.objects.filter(condition).only("pk", "object_repr", "changes"):
        repr_, changes = _replace_in(event.object_repr, replacements), _replace_in(event.changes, replacements)
        if (repr_, changes) != (event.object_repr, event.changes):
            # The append-only guard is on AuditEvent's own queryset; this is its one bypass for edits.
            models.QuerySet.update(AuditEvent.objects.filter(pk=event.pk), object_repr=repr_[:200], changes=changes)
            changed += 1
    return changed


def expire(before, *, dry_run: bool = False) -> int:
    """Delete the events older than `before` (the retention period); returns their number."""
    old = AuditEvent.objects.filter(at__lt=before)
    count = old.count()
    if not dry_run and count:
        models.QuerySet.delete(old)
    return count
