"""Writing the audit log. Services call record() inside their transaction."""

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
