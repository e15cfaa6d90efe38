"""Answer values: parsing what a page, the API or a workbook sends into the engine's shape.

Each parser returns the stored value or raises AnswerError naming the field at fault, so
bad input never reaches the database.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STATUSES = ("absent", "planned", "developing", "operating")
# What a service's status is called wherever it is read (the form, previews, history).
STATUS_LABELS = {
    "absent": gettext_lazy("Absent"),
    "planned": gettext_lazy("Planned"),
    "developing": gettext_lazy("Developing"),
    "operating": gettext_lazy("In operation"),
}

#: The fields a page's answer form posts, by item kind: what parse_answer reads, and what a
#: refused answer is shown back with so nothing the person typed is lost.
SERVICE_FIELDS = ("status", "level", "utilization", "systems")
VALUE_FIELDS = ("choice", "value")
FORM_FIELDS = (*VALUE_FIELDS, *SERVICE_FIELDS)
# Statuses at which a service's level, and its utilization, are asked.
LEVEL_STATUSES = ("developing", "operating")
UTILIZATION_STATUSES = ("operating",)


class AnswerError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def _int(raw, field: str, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise AnswerError(
            field, _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        ) from None
    if not low <= value <= high:
        raise AnswerError(field, _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return value


def service_scale_for(definition: dict, item: dict) -> dict | None:
    """The scale a service's level is read on: its kind's (version 2 on), else the framework's."""
    kind = (definition.get("service_kinds") or {}).get(item.get("service_kind") or "")
    return kind or definition.get("service_scale")


def utilization_asked(item: dict) -> bool:
    return not (item.get("utilization") or {}).get("not_asked")


def posted_fields(data) -> dict[str, str]:
    """What a form posted, keyed as the answer form reads a stored value (`value` for the
    single-value kinds), to show a refused answer back as it was typed."""
    posted = {name: data.get(name, "") for name in SERVICE_FIELDS}
    posted["value"] = data.get("choice") or data.get("value", "")
    return posted


def service_field_rules(item: dict) -> dict[str, dict[str, dict]]:
    """For each status a service can be given ("" for none yet): which of its fields apply,
    which are required, and why a field does not apply. The one statement of these rules that
    parse_answer enforces, rendered for the page's script to enable and disable fields.

    {status: {field: {"applies": bool, "required": bool, "reason": str}}}
    """
    util_not_asked = not utilization_asked(item)
    rules: dict[str, dict[str, dict]] = {}
    for status in ("", *STATUSES, "na"):
        level_reason = ""
        if status == "":
            level_reason = _("Choose a status first.")
        elif status == "na":
            level_reason = _("The service is not applicable.")
        elif status not in LEVEL_STATUSES:
            level_reason = _("Asked only for a service in development or in operation.")
        if util_not_asked:
            util_reason = _("Not asked for this service.")
        elif status == "":
            util_reason = _("Choose a status first.")
        elif status == "na":
            util_reason = _("The service is not applicable.")
        elif status not in UTILIZATION_STATUSES:
            util_reason = _("Asked only for a service in operation.")
        else:
            util_reason = ""
        systems_reason = _("The service is not applicable.") if status == "na" else ""
        rules[status] = {
            "level": {"applies": not level_reason, "required": status in LEVEL_STATUSES, "reason": level_reason},
            "utilization": {"applies": not util_reason, "required": False, "reason": util_reason},
            "systems": {"applies": not systems_reason, "required": False, "reason": systems_reason},
        }
    return rules


def parse_answer(item: dict, data) -> dict | None:
    """The stored answer for `item` from form-like data (a dict of strings); None clears it.

    Every kind accepts choice=na (not applicable); level items also choice=dont_know.
    """
    kind = item["kind"]
    choice = (data.get("choice") or "").strip()
    if choice == "na" and kind != "text":
        return {"na": True}
    if choice == "dont_know" and kind == "level":
        return {"dont_know": True}
    if choice == "clear":
        return None
    if kind == "level":
        return {"value": _int(choice or data.get("value"), "value", 1, 5)}
    if kind == "service":
        status = (data.get("status") or "").strip()
        if status == "na":
            return {"na": True}
        if status not in STATUSES:
            raise AnswerError("status", _("Choose a status: absent, planned, developing or in operation."))
        answer: dict = {"status": status}
        level, utilization = data.get("level"), data.get("utilization")
        if status in LEVEL_STATUSES:
            if level in (None, ""):
                raise AnswerError("level", _("Choose the level the service reaches."))
            answer["level"] = _int(level, "level", 1, 5)
        elif level not in (None, ""):
            answer["level"] = _int(level, "level", 1, 5)
        if utilization not in (None, ""):
            if not utilization_asked(item):
                raise AnswerError("utilization", _("Utilization is not asked for this service."))
            if status not in UTILIZATION_STATUSES:
                raise AnswerError("utilization", _("Utilization applies only to a service in operation."))
            answer["utilization"] = _int(utilization, "utilization", 0, 100)
        systems = (data.get("systems") or "").strip()
        if len(systems) > 300:
            raise AnswerError("systems", _("Keep the system names under 300 characters."))
        if systems:
            answer["systems"] = systems
        return answer
    if kind == "scale":
        points = item["points"]
        return {"value": _int(choice or data.get("value"), "value", points["min"], points["max"])}
    if kind == "binary":
        value = (choice or data.get("value") or "").strip().lower()
        if value not in ("yes", "no", "true", "false", "1", "0"):
            raise AnswerError("value", _("Answer yes or no."))
        return {"value": value in ("yes", "true", "1")}
    if kind == "number":
        raw = (choice or data.get("value") or "").strip().replace(",", ".")
        try:
            return {"value": float(raw)}
        except ValueError:
            raise AnswerError("value", _("Enter a number.")) from None
    if kind == "text":
        text = (data.get("value") or "").strip()
        if len(text) > 4000:
            raise AnswerError("value", _("Keep the text under 4,000 characters."))
        return {"value": text} if text else None
    raise AnswerError("kind", f"unknown item kind {kind}")


def status_label(status: str) -> str:
    """A service status as the answer form names it."""
    labels = {
        "absent": _("Absent"),
        "planned": _("Planned"),
        "developing": _("Developing"),
        "operating": _("In operation"),
    }
    return labels.get(status, status)


def describe(item: dict, value: dict | None) -> str:
    """A short human reading of an answer, for history, conflicts and previews."""
    if not value:
        return _("not answered")
    if value.get("na"):
        return _("not applicable")
    if value.get("dont_know"):
        return _("don't know")
    if item["kind"] == "service":
        parts = [status_label(value["status"])]
        if "level" in value:
            parts.append(_("level %(n)s") % {"n": value["level"]})
        if "utilization" in value:
            parts.append(f"{value['utilization']} %")
        if value.get("systems"):
            parts.append(value["systems"])
        return ", ".join(parts)
    if item["kind"] == "level":
        return _("level %(n)s") % {"n": value["value"]}
    if item["kind"] == "binary":
        return _("yes") if value["value"] else _("no")
    return str(value.get("value"))
