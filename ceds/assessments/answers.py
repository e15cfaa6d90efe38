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


def _service_level(status: str, level) -> int | None:
    """A service's level: required once it is developing or operating, else optional (a
    planned service may already say where it aims)."""
    if status in LEVEL_STATUSES:
        if level in (None, ""):
            raise AnswerError("level", _("Choose the level the service reaches."))
        return _int(level, "level", 1, 5)
    if level not in (None, ""):
        return _int(level, "level", 1, 5)
    return None


def _service_utilization(item: dict, status: str, utilization) -> int | None:
    """A service's utilization, refused (not dropped) where it is not asked or does not
    apply, so the person learns why the figure they typed was not kept."""
    if utilization in (None, ""):
        return None
    if not utilization_asked(item):
        raise AnswerError("utilization", _("Utilization is not asked for this service."))
    if status not in UTILIZATION_STATUSES:
        raise AnswerError("utilization", _("Utilization applies only to a service in operation."))
    return _int(utilization, "utilization", 0, 100)


def _parse_service(item: dict, data, choice: str) -> dict | None:
    status = (data.get("status") or "").strip()
    if status == "na":
        return {"na": True}
    if status not in STATUSES:
        raise AnswerError("status", _("Choose a status: absent, planned, developing or in operation."))
    answer: dict = {"status": status}
    # Level before utilization before systems: the first field at fault is the one named.
    level = _service_level(status, data.get("level"))
    if level is not None:
        answer["level"] = level
    utilization = _service_utilization(item, status, data.get("utilization"))
    if utilization is not None:
        answer["utilization"] = utilization
    systems = (data.get("systems") or "").strip()
    if len(systems) > 300:
        raise AnswerError("systems", _("Keep the system names under 300 characters."))
    if systems:
        answer["systems"] = systems
    return answer


def _parse_level(item: dict, data, choice: str) -> dict | None:
    return {"value": _int(choice or data.get("value"), "value", 1, 5)}


def _parse_scale(item: dict, data, choice: str) -> dict | None:
    points = item["points"]
    return {"value": _int(choice or data.get("value"), "value", points["min"], points["max"])}


def _parse_binary(item: dict, data, choice: str) -> dict | None:
    value = (choice or data.get("value") or "").strip().lower()
    if value not in ("yes", "no", "true", "false", "1", "0"):
        raise AnswerError("value", _("Answer yes or no."))
    return {"value": value in ("yes", "true", "1")}


def _parse_number(item: dict, data, choice: str) -> dict | None:
    # A decimal comma is how most of our cities write a number.
    raw = (choice or data.get("value") or "").strip().replace(",", ".")
    try:
        return {"value": float(raw)}
    except ValueError:
        raise AnswerError("value", _("Enter a number.")) from None


def _parse_text(item: dict, data, choice: str) -> dict | None:
    # Text reads only `value`; parse_answer does not take choice=na for it.
    text = (data.get("value") or "").strip()
    if len(text) > 4000:
        raise AnswerError("value", _("Keep the text under 4,000 characters."))
    return {"value": text} if text else None


# One parser per item kind, each given the item, the data and the stripped `choice`.
_PARSERS = {
    "level": _parse_level,
    "service": _parse_service,
    "scale": _parse_scale,
    "binary": _parse_binary,
    "number": _parse_number,
    "text": _parse_text,
}


def parse_answer(item: dict, data) -> dict | None:
    """The stored answer for `item` from form-like data (a dict of strings); None clears it.

    Every kind accepts choice=na (not applicable); level items also choice=dont_know.
    """
    kind = item["kind"]
    choice = (data.get("choice") or "").strip()
    # The choices every kind shares are read before the kind's own parser.
    if choice == "na" and kind != "text":
        return {"na": True}
    if choice == "dont_know" and kind == "level":
        return {"dont_know": True}
    if choice == "clear":
        return None
    parser = _PARSERS.get(kind)
    if parser is None:
        raise AnswerError("kind", f"unknown item kind {kind}")
    return parser(item, data, choice)


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
