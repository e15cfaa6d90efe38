"""The errata note of an amended report: each correction of validated results, as the report prints it.

A result reopened by the secretariat (ceds.assessments.services.reopen) and validated again issues an
amended report. Its cover says when it was amended, why, what changed (the answers and the overall
score) and which earlier issue it replaces; that earlier issue is kept (reports.EarlierIssue).
"""

from ceds.assessments.models import Correction
from ceds.reports.models import EarlierIssue


def errata_for(assessment) -> list[dict]:
    """One entry per closed correction, oldest first; two queries."""
    corrections = list(Correction.objects.filter(assessment=assessment, revalidated_at__isnull=False))
    if not corrections:
        return []
    replaced = dict(
        EarlierIssue.objects.filter(correction__in=corrections)
        .order_by("correction_id", "issued_at")
        .values_list("correction_id", "issued_at")
    )
    entries = []
    for correction in corrections:
        before, after = (correction.changes.get("overall") or [None, None])[:2]
        entries.append(
            {
                "amended_at": correction.revalidated_at,
                "reason": correction.reason,
                "items": correction.changes.get("items", []),
                "score_before": before,
                "score_after": after,
                "replaces": replaced.get(correction.pk),
            }
        )
    return entries
