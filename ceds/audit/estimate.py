"""The LOSI-style estimate: the share of the crosswalk's portal features the answers say are present.

Never called a LOSI score: LOSI is a researcher's check of a fixed list of indicators; this is
an estimate from the city's own answers to the items content/audit/losi.yaml maps to them.
"""

from __future__ import annotations

from ceds.assessments.models import Answer
from ceds.audit import content
from ceds.core.i18n import localized


def _present(value: dict | None) -> bool | None:
    """True/False from a binary or scale answer; None when unanswered, N/A or "don't know"."""
    if not value or value.get("na") or value.get("dont_know") or "value" not in value:
        return None
    return bool(value["value"])  # binary True, or a scale of at least one point


def losi_estimate(assessment) -> dict | None:
    version = assessment.framework_version
    walk = content.crosswalk(version.framework_id, version.version)
    if walk is None:
        return None
    codes = {code for feature in walk.features for code in feature.items}
    answers = dict(
        Answer.objects.filter(assessment=assessment, item__code__in=codes).values_list("item__code", "value")
    )
    rows = []
    for feature in walk.features:
        states = [_present(answers.get(code)) for code in feature.items]
        if any(states):
            state = "present"
        elif states and all(s is False for s in states):
            state = "absent"
        else:
            state = "unanswered"
        rows.append(
            {
                "id": feature.id,
                "title": localized(feature.title),
                "criterion": localized(walk.criteria[feature.criterion]),
                "indicator": feature.indicator or "",
                "items": feature.items,
                "state": state,
            }
        )
    judged = [r for r in rows if r["state"] != "unanswered"]
    present = sum(r["state"] == "present" for r in rows)
    return {
        "estimate": round(present / len(judged), 2) if judged else None,
        "present": present,
        "judged": len(judged),
        "features": len(rows),
        "rows": rows,
        "source": walk.source,
    }
