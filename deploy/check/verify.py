"""The fault test's verdict (deploy/prod-check.sh): what the client was told, against the database.

- every autosave answered 200 is in the database: each draft item holds the value and version of its
  last acknowledged save, and the audit trail holds a save of every acknowledged value;
- every validation ends validated, with its report issued exactly once (waits for the worker);
- failed requests (attempts the client had to retry) stay under 1 %, and none failed for good;
- the graceful reload replaced every gunicorn worker without a failed request.
Prints one line per figure and exits 1 when any is missed.

    python deploy/check/verify.py RESULTS.json
"""

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
REPORT_WAIT = float(os.environ.get("CHECK_REPORT_WAIT", "90"))
MAX_FAILED = 1.0  # per cent


def lost_autosaves(acks: list[dict]) -> int:
    from ceds.assessments.models import Answer
    from ceds.core.models import AuditEvent

    lost = 0
    last: dict[tuple[int, str], dict] = {}
    for ack in acks:
        key = (ack["draft"], ack["item"])
        if key not in last or ack["version"] > last[key]["version"]:
            last[key] = ack
    for (draft, code), ack in last.items():
        stored = Answer.objects.filter(assessment_id=draft, item__code=code).values_list("value", "version").first()
        if stored != (ack["value"], ack["version"]):
            lost += 1
    # Each acknowledged value was saved (the audit event is written in the save's transaction).
    acked = Counter((a["draft"], a["item"], json.dumps(a["value"], sort_keys=True)) for a in acks)
    drafts = {a["draft"] for a in acks}
    saved: Counter = Counter()
    for object_id, changes in AuditEvent.objects.filter(
        action="answer.save", object_type="assessments.assessment", object_id__in=[str(d) for d in drafts]
    ).values_list("object_id", "changes"):
        for code, change in changes.items():
            if code != "via":
                saved[(int(object_id), code, json.dumps(change[1], sort_keys=True))] += 1
    lost += sum(max(0, n - saved[key]) for key, n in acked.items())
    return lost


def issued(pks: list[int]) -> dict[int, int]:
    """{assessment: how many times its report was issued}: 0 while it is being prepared.

    Each issue writes the report and a "report.issue" audit event in one transaction
    (ceds/reports/tasks.py); a task run twice must write neither twice.
    """
    from ceds.core.models import AuditEvent
    from ceds.reports.issue import PREPARING
    from ceds.reports.models import IssuedReport

    ready = set(
        IssuedReport.objects.filter(assessment_id__in=pks)
        .exclude(html=PREPARING)
        .values_list("assessment_id", flat=True)
    )
    events = Counter(
        AuditEvent.objects.filter(
            action="report.issue", object_type="assessments.assessment", object_id__in=[str(pk) for pk in pks]
        ).values_list("object_id", flat=True)
    )
    return {pk: events[str(pk)] if pk in ready else 0 for pk in pks}


def main(results_path: Path) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    import django

    django.setup()
    from ceds.assessments.models import Assessment

    results = json.loads(results_path.read_text())
    ok = True

    lost = lost_autosaves(results["acks"])
    print(f"autosaves answered 200: {len(results['acks'])}")
    print(f"lost autosaves: {lost}")
    ok &= lost == 0

    pks = results["validated"]
    statuses = dict(Assessment.objects.filter(pk__in=pks).values_list("pk", "status"))
    not_validated = [pk for pk in pks if statuses.get(pk) not in ("validated", "published")]
    print(f"validations: {len(pks)}, not validated: {len(not_validated)}")
    ok &= bool(pks) and not not_validated

    until = time.monotonic() + REPORT_WAIT
    counts = issued(pks)
    while any(n == 0 for n in counts.values()) and time.monotonic() < until:
        time.sleep(1)
        counts = issued(pks)
    once = bool(pks) and all(n == 1 for n in counts.values())
    print(f"reports issued: {sum(counts.values())} for {len(pks)} validations")
    print(f"reports issued exactly once: {'yes' if once else 'no ' + str(counts)}")
    ok &= once

    share = 100 * results["failed"] / max(1, results["attempts"])
    print(f"requests: {results['attempts']} in {results['seconds']} s")
    print(f"failed requests: {share:.1f} % ({results['failed']}, retried: {results['failed_by_kind']})")
    print(f"requests failed after retries: {results['unrecovered']}")
    ok &= share < MAX_FAILED and results["unrecovered"] == 0

    reload = results["reload"]
    print(
        f"graceful reload: workers replaced: {'yes' if reload['workers_replaced'] else 'no'}, "
        f"failed requests during it: {reload['failed_during']}"
    )
    ok &= reload["workers_replaced"] and reload["failed_during"] == 0
    for event in results["events"]:
        if event["event"] == "report tasks waiting mid-task":
            print(f"report tasks mid-task when the worker was killed: {event['count']}")
            ok &= event["count"] > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
