"""content/audit/ checked against the frameworks: every item must exist in its framework version,
every check must be in the vocabulary, every text is a language map with English."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from ceds.audit import content as audit_content
from ceds.audit.checks import CHECKS
from ceds.content.problems import Problem

if TYPE_CHECKING:
    from ceds.content.reader import Bundle


def check(bundle: Bundle) -> None:
    """Append every problem of content/audit/ to the bundle (called by read_content)."""
    root = bundle.root
    if not (root / "audit").is_dir():
        return
    try:
        maps, walk = audit_content.read(root)
    except (ValidationError, yaml.YAMLError) as exc:
        bundle.problems.append(Problem("content/audit", "(file)", str(exc).splitlines()[0] + ": " + str(exc)[:500]))
        return
    items = {}
    for lf in bundle.frameworks:
        fw = lf.framework
        items[(fw.id, fw.version)] = {i.id: i for _p, _g, s in fw.sections() for i in s.items}
    for mapping in maps:
        known = items.get((mapping.framework, mapping.version))
        where = f"{mapping.framework} v{mapping.version}"
        if known is None:
            bundle.problems.append(Problem("audit/checks.yaml", where, "no such framework version"))
            continue
        for code, entry in mapping.items.items():
            bundle.problems.extend(
                Problem("audit/checks.yaml", f"{where}: {code}", message)
                for message in _entry_problems(entry, known.get(code))
            )
    if walk is not None:
        bundle.problems.extend(_crosswalk_problems(walk, items.get((walk.framework, walk.version), {})))


def _entry_problems(entry: audit_content.ItemCheck, item) -> list[str]:
    """What is wrong with one item's check: a check outside the vocabulary, a missing or unfit item."""
    problems = []
    if entry.check not in CHECKS:
        problems.append(f"unknown check {entry.check!r}; one of {', '.join(CHECKS)}")
    if item is None:
        problems.append("no such item")
    elif item.kind not in ("binary", "scale") or (item.kind == "scale") != (entry.points is not None):
        problems.append("checks answer binary items, or scale items with points:")
    elif item.kind == "scale" and not item.points.min <= entry.points <= item.points.max:
        problems.append("points outside the item's scale")
    return problems


def _crosswalk_problems(walk: audit_content.Crosswalk, known: dict) -> list[Problem]:
    """losi.yaml: its framework version exists, each feature has English, a known criterion and fit items."""
    problems = []
    if not known:
        problems.append(Problem("audit/losi.yaml", f"{walk.framework} v{walk.version}", "no such framework version"))
    for feature in walk.features:
        if "en" not in feature.title:
            problems.append(Problem("audit/losi.yaml", feature.id, "title needs English (en)"))
        if feature.criterion not in walk.criteria:
            problems.append(Problem("audit/losi.yaml", feature.id, f"unknown criterion {feature.criterion!r}"))
        for code in feature.items:
            if known and code not in known:
                problems.append(Problem("audit/losi.yaml", feature.id, f"no such item {code}"))
            elif known and known[code].kind not in ("binary", "scale"):
                problems.append(Problem("audit/losi.yaml", feature.id, f"{code} is neither binary nor scale"))
    if len({f.id for f in walk.features}) != len(walk.features):
        problems.append(Problem("audit/losi.yaml", "features", "feature ids repeat"))
    return problems
