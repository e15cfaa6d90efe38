"""Portal audit tasks: one audit run on a worker, and the scheduled re-audit (celery beat).

Idempotent: a run that already ended is not run again; a run redelivered while "running" (its worker
died) has stored nothing, since store() writes the outcome and every proposal in one transaction,
so it is simply crawled again.
"""

from dataclasses import asdict

from celery import shared_task
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from ceds.audit import services
from ceds.audit.crawler import Limits
from ceds.audit.models import AuditRun
from ceds.celery import enqueue
from ceds.cities.models import City


@shared_task
def run_audit(run_pk: int, limits: dict | None = None) -> str:
    run = AuditRun.objects.filter(pk=run_pk).values_list("status", flat=True).first()
    if run is None or run not in (AuditRun.Status.QUEUED, AuditRun.Status.RUNNING):
        return run or "missing"
    done = services.execute(
        run_pk,
        allow_loopback=settings.CEDS_AUDIT_ALLOW_LOOPBACK,
        limits=Limits(**limits) if limits is not None else None,
    )
    return done.status


def queue_run(run: AuditRun, limits: Limits | None = None) -> None:
    enqueue(run_audit, run.pk, asdict(limits) if limits is not None else None)


def due_cities(now=None):
    """Cities to audit again: they have a portal address, asked for an audit once (a run exists: the
    schedule never audits a portal nobody asked about) and their latest run is CEDS_REAUDIT_DAYS old."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.CEDS_REAUDIT_DAYS)
    return (
        City.objects.exclude(portal_url="")
        .annotate(last_audit=Max("audit_runs__created_at"))
        .filter(last_audit__lt=cutoff)
        .order_by("pk")
    )


@shared_task
def reaudit_due_portals() -> int:
    """Queue a re-audit of every due city; returns how many were queued. Run twice, it queues each
    city once: the first pass gives each a fresh run, so the second finds none due."""
    if settings.CEDS_REAUDIT_DAYS <= 0:
        return 0
    queued = 0
    for city in due_cities():
        try:
            run = services.create_run(None, city)
        except services.AuditError:  # one is already running
            continue
        queue_run(run)
        queued += 1
    return queued
