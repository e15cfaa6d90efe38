"""Turning stored figures into rows a template can show (names in the user's language)."""

from django.utils.translation import gettext as _

from ceds.core.i18n import localized


def level_name(definition: dict, level: int | None) -> str:
    for entry in definition["levels"]:
        if entry["level"] == level:
            return localized(entry["name"])
    return ""


def figure_row(definition: dict, key: str, figures: dict, title: str = "") -> dict:
    figure = figures.get(key) or {}
    return {
        "key": key,
        "title": title,
        "score": figure.get("score"),
        "level": figure.get("level"),
        "level_name": level_name(definition, figure.get("level")),
        "answered": figure.get("answered", 0),
        "applicable": figure.get("applicable", 0),
        "complete": figure.get("complete", False),
        "notes": figure.get("notes", []),
        "extra": figure.get("extra", {}),
        "contributions": figure.get("contributions", []),
    }


def result_tree(definition: dict, figures: dict) -> list[dict]:
    """parts -> groups -> sections, each with its figure.

    Sections are numbered through their part (Part A's dimensions 1-6 across internal and
    external, as seed 001 and the radar number them; Part B's domains 1-4)."""
    tree = []
    for part in definition["parts"]:
        groups = []
        number = 0
        for group in part["groups"]:
            sections = []
            for s in group["sections"]:
                number += 1
                sections.append(
                    figure_row(definition, f"section:{s['id']}", figures, localized(s["title"]))
                    | {"code": s["id"], "kind": s.get("kind"), "number": number}
                )
            groups.append(
                figure_row(definition, f"group:{part['id']}/{group['id']}", figures, localized(group["title"]))
                | {"sections": sections}
            )
        tree.append(
            figure_row(definition, f"part:{part['id']}", figures, localized(part["title"])) | {"groups": groups}
        )
    return tree


def figure_names(definition, items: bool = True) -> dict[str, str]:
    """A readable name for every figure key: overall, parts, groups, sections and (unless not
    wanted) items."""
    names = {"overall": _("Overall")}
    for part in definition["parts"]:
        names[f"part:{part['id']}"] = localized(part["title"])
        for group in part["groups"]:
            names[f"group:{part['id']}/{group['id']}"] = localized(group["title"])
            for section in group["sections"]:
                names[f"section:{section['id']}"] = f"{section['id']} · {localized(section['title'])}"
                for item in section.get("items", []) if items else ():
                    names[f"item:{item['id']}"] = f"{item['id']} · {localized(item['title'])}"
    return names
