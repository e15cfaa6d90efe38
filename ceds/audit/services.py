"""Portal audit verbs: start a run (in a background thread), store what it found, accept or
dispute proposals. Accepting goes through assessments.services.save_answer and add_evidence,
so an accepted proposal is an answer like any other; the history names the audit."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.assessments import services as assessment_services
from ceds.assessments.models import Answer, Assessment
from ceds.audit import content
from ceds.audit.checks import Finding, run_checks
from ceds.audit.crawler import CrawlResult, Limits, crawl
from ceds.audit.models import AuditRun, Proposal
from ceds.celery import eager
from ceds.core import audit
from ceds.frameworks.models import Item, version_items

log = logging.getLogger(__name__)
STALE_MINUTES = 30  # a run "running" for longer than this died with its process


class AuditError(Exception):
    pass


def audited_assessment(city) -> Assessment | None:
    """The city's open cycle of a framework the audit checks (the latest period), if any."""
    open_ones = (
        Assessment.objects.filter(city=city, status__in=Assessment.OPEN_STATUSES)
        .select_related("framework_version")
        .order_by("-period", "-pk")
    )
    for assessment in open_ones:
        version = assessment.framework_version
        if content.item_checks(version.framework_id, version.version):
            return assessment
    return None


def latest_run(city) -> AuditRun | None:
    return AuditRun.objects.filter(city=city).first()


def _running(city) -> bool:
    cutoff = timezone.now() - timezone.timedelta(minutes=STALE_MINUTES)
    return AuditRun.objects.filter(
        city=city, status__in=(AuditRun.Status.QUEUED, AuditRun.Status.RUNNING), created_at__gte=cutoff
    ).exists()


@transaction.atomic
def create_run(actor, city, url: str = "") -> AuditRun:
    """A queued run of the city's portal (or `url`); the caller executes it."""
    if actor is not None and not roles.can_manage_city(actor, city):
        raise PermissionDenied
    url = url or city.portal_url
    if not url:
        raise AuditError(_("The city's profile has no portal address; add it to the profile first."))
    if _running(city):
        raise AuditError(_("An audit of this portal is already running."))
    run = AuditRun.objects.create(city=city, assessment=audited_assessment(city), url=url, started_by=actor)
    audit.record(actor, "portal_audit.start", run, {"url": [None, url]}, city)
    return run


def start_in_background(run: AuditRun, limits: Limits | None = None) -> threading.Thread | None:
    """Run the audit on a worker (audit queue) when there is a task queue; otherwise in a thread of
    this process, since an eager task would hold the page for the whole crawl. Either way the page
    that started it stays responsive. Returns the thread when one was started.
    """
    if not eager():
        from ceds.audit import tasks  # imported here: the tasks module imports this one

        tasks.queue_run(run, limits)
        return None

    def work():
        try:
            execute(run.pk, allow_loopback=settings.CEDS_AUDIT_ALLOW_LOOPBACK, limits=limits)
        finally:
            close_old_connections()

    thread = threading.Thread(target=work, name=f"portal-audit-{run.pk}", daemon=True)
    thread.start()
    return thread


def execute(run_pk: int, allow_loopback: bool = False, limits: Limits | None = None) -> AuditRun:
    """Crawl, check and store (synchronously). Any failure ends the run with status failed."""
    run = AuditRun.objects.select_related("assessment__framework_version").get(pk=run_pk)
    AuditRun.objects.filter(pk=run.pk).update(status=AuditRun.Status.RUNNING)
    try:
        limits = limits or Limits(**settings.CEDS_AUDIT_LIMITS)
        result = crawl(run.url, allow_loopback=allow_loopback, limits=limits)
    except Exception as exc:
        log.exception("portal audit %s failed", run.pk)
        run.status, run.message, run.finished_at = AuditRun.Status.FAILED, str(exc)[:500], timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        return run
    store(run, result)
    return run


def _answer_for(item: Item, entry, finding: Finding) -> dict:
    if item.kind == "scale":
        return {"value": entry.points if finding.present else item.data["points"]["min"]}
    return {"value": finding.present}


def _framework_of(run: AuditRun) -> tuple[str, int]:
    if run.assessment is not None:
        version = run.assessment.framework_version
        return version.framework_id, version.version
    return "website", 1


@transaction.atomic
def store(run: AuditRun, result: CrawlResult) -> AuditRun:
    run.status = result.status
    run.message = result.message[:500]
    run.finished_at = timezone.now()
    run.seconds = result.seconds
    run.pages = [
        {"url": p.url, "status": p.status, "title": p.title, "bytes": p.bytes, "seconds": p.seconds}
        for p in result.pages
    ]
    run.refused = result.refused[:50]
    run.save()
    findings = run_checks(result)
    if not findings:
        return run
    framework_id, version = _framework_of(run)
    checks = content.item_checks(framework_id, version)
    items = (
        version_items(run.assessment.framework_version)
        if run.assessment is not None
        else {
            i.code: i
            for i in Item.objects.filter(
                framework_version__framework_id=framework_id, framework_version__version=version
            ).select_related("section")
        }
    )
    for code, entry in checks.items():
        item, finding = items.get(code), findings.get(entry.check)
        if item is None or finding is None:
            continue
        proposal = Proposal(
            run=run,
            assessment=run.assessment,
            item_code=code,
            section_code=item.section.code,
            check_name=entry.check,
            present=finding.present,
            answer=_answer_for(item, entry, finding),
            observed=finding.value,
            evidence_url=finding.url[:500],
            found=finding.text[:500],
            details=finding.details,
        )
        shot = result.pages[finding.page].screenshot if finding.page is not None else b""
        if shot:
            proposal.screenshot.save(f"{code}.jpg", ContentFile(shot), save=False)
        proposal.save()
    return run


def run_now(actor, city, url: str = "", allow_loopback: bool = False, limits: Limits | None = None) -> AuditRun:
    """The command's path: create and execute in this process."""
    run = create_run(actor, city, url)
    return execute(run.pk, allow_loopback=allow_loopback, limits=limits)


# -- reading ----------------------------------------------------------------------------------


def current_proposals(assessment: Assessment, section_code: str | None = None) -> dict[str, Proposal]:
    """item code -> the proposal of the assessment's latest finished run (one query each)."""
    run = (
        AuditRun.objects.filter(assessment=assessment, status__in=AuditRun.FINISHED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None:
        return {}
    proposals = Proposal.objects.filter(run=run)
    if section_code:
        proposals = proposals.filter(section_code=section_code)
    found = {}
    for proposal in proposals:
        proposal.run = run
        found[proposal.item_code] = proposal
    return found


def previous_finished(run: AuditRun) -> AuditRun | None:
    return (
        AuditRun.objects.filter(city_id=run.city_id, status__in=AuditRun.FINISHED, created_at__lt=run.created_at)
        .order_by("-created_at", "-pk")
        .first()
    )


def difference(run: AuditRun, previous: AuditRun | None) -> list[dict]:
    """Items whose finding changed since the previous finished audit (empty when there is none)."""
    if previous is None:
        return []
    before = {p.item_code: p for p in previous.proposals.all()}
    changes = []
    for proposal in run.proposals.all():
        old = before.get(proposal.item_code)
        if old is None or old.present != proposal.present or old.observed != proposal.observed:
            changes.append({"proposal": proposal, "before": old})
    return changes


# -- deciding ---------------------------------------------------------------------------------


def _load(proposal: Proposal, lock: bool = True) -> tuple[Proposal, Assessment, Item]:
    if proposal.assessment_id is None:
        raise AuditError(_("This audit ran without an open assessment; open one and run the audit again."))
    query = Proposal.objects.select_for_update() if lock else Proposal.objects
    proposal = query.select_related("run").get(pk=proposal.pk)
    assessment = Assessment.objects.select_related("city", "framework_version").get(pk=proposal.assessment_id)
    proposal.assessment = assessment
    return proposal, assessment, version_items(assessment.framework_version)[proposal.item_code]


def _check_decide(actor, proposal: Proposal, item: Item) -> None:
    assessment = proposal.assessment
    if assessment.status not in Assessment.OPEN_STATUSES or not roles.can_edit_section(actor, assessment, item.section):
        raise PermissionDenied


@transaction.atomic
def accept(actor, proposal: Proposal) -> Answer | None:
    """The proposal becomes the item's answer, with its page and screenshot attached."""
    proposal, assessment, item = _load(proposal)
    _check_decide(actor, proposal, item)
    if proposal.state == Proposal.State.ACCEPTED:
        return Answer.objects.filter(assessment=assessment, item=item).first()
    current = Answer.objects.filter(assessment=assessment, item=item).first()
    day = proposal.run.created_at.date().isoformat()
    answer = assessment_services.save_answer(
        actor, assessment, item, proposal.answer, current.version if current else 0, via=["portal_audit", day]
    )
    if proposal.evidence_url:
        assessment_services.add_evidence(actor, assessment, item, url=proposal.evidence_url)
    if proposal.screenshot:
        with proposal.screenshot.open("rb") as handle:
            upload = ContentFile(handle.read(), name=f"audit-{day}-{item.code}.jpg")
        assessment_services.add_evidence(actor, assessment, item, upload=upload)
    proposal.state, proposal.decided_by, proposal.decided_at = Proposal.State.ACCEPTED, actor, timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    return answer


@transaction.atomic
def dispute(actor, proposal: Proposal) -> None:
    proposal, assessment, item = _load(proposal)
    _check_decide(actor, proposal, item)
    proposal.state, proposal.decided_by, proposal.decided_at = Proposal.State.DISPUTED, actor, timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(actor, "portal_audit.dispute", assessment, {"portal_audit": [item.code, "disputed"]}, assessment.city)


@transaction.atomic
def accept_section(actor, assessment: Assessment, section_code: str) -> int:
    """Accept every open proposal of one section; all or nothing."""
    pending = [p for p in current_proposals(assessment, section_code).values() if p.state == Proposal.State.PROPOSED]
    for proposal in pending:
        accept(actor, proposal)
    return len(pending)
