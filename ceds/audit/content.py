"""content/audit/: which items the audit checks (checks.yaml) and the LOSI-style crosswalk (losi.yaml).

Read once per process (content is fixed while a process runs) and validated by
`validate_content` through check(bundle): every item must exist in its framework version,
every check must be in the vocabulary, every text is a language map with English.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ceds.audit.checks import CHECKS

Text = Annotated[dict[str, str], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemCheck(Strict):
    check: str
    points: int | None = Field(default=None, ge=1)


class CheckMap(Strict):
    framework: str
    version: int
    items: dict[str, ItemCheck]


class Feature(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    criterion: str
    indicator: str | None = None
    items: list[str] = Field(min_length=1)
    title: Text


class Crosswalk(Strict):
    index: str
    framework: str
    version: int
    source: str = Field(min_length=10)
    criteria: dict[str, Text]
    features: list[Feature] = Field(min_length=1)


def _load(root: Path):
    checks_path, losi_path = root / "audit" / "checks.yaml", root / "audit" / "losi.yaml"
    maps = (
        [CheckMap.model_validate(m) for m in yaml.safe_load(checks_path.read_text(encoding="utf-8")) or []]
        if checks_path.is_file()
        else []
    )
    crosswalk = (
        Crosswalk.model_validate(yaml.safe_load(losi_path.read_text(encoding="utf-8"))) if losi_path.is_file() else None
    )
    return maps, crosswalk


@cache
def _content():
    from django.conf import settings

    return _load(Path(settings.CONTENT_DIR))


def item_checks(framework_id: str, version: int) -> dict[str, ItemCheck]:
    """item code -> its check, for one framework version (empty when none is checked)."""
    for mapping in _content()[0]:
        if mapping.framework == framework_id and mapping.version == version:
            return mapping.items
    return {}


def crosswalk(framework_id: str, version: int) -> Crosswalk | None:
    found = _content()[1]
    return found if found and found.framework == framework_id and found.version == version else None


def check(bundle) -> None:
    """Append every problem of content/audit/ to the bundle (called by read_content)."""
    from ceds.frameworks.content import Problem

    root = bundle.root
    if not (root / "audit").is_dir():
        return
    try:
        maps, walk = _load(root)
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
            if entry.check not in CHECKS:
                bundle.problems.append(
                    Problem(
                        "audit/checks.yaml",
                        f"{where}: {code}",
                        f"unknown check {entry.check!r}; one of {', '.join(CHECKS)}",
                    )
                )
            item = known.get(code)
            if item is None:
                bundle.problems.append(Problem("audit/checks.yaml", f"{where}: {code}", "no such item"))
            elif item.kind not in ("binary", "scale") or (item.kind == "scale") != (entry.points is not None):
                bundle.problems.append(
                    Problem(
                        "audit/checks.yaml",
                        f"{where}: {code}",
                        "checks answer binary items, or scale items with points:",
                    )
                )
            elif item.kind == "scale" and not item.points.min <= entry.points <= item.points.max:
                bundle.problems.append(
                    Problem("audit/checks.yaml", f"{where}: {code}", "points outside the item's scale")
                )
    if walk is not None:
        known = items.get((walk.framework, walk.version), {})
        if not known:
            bundle.problems.append(
                Problem("audit/losi.yaml", f"{walk.framework} v{walk.version}", "no such framework version")
            )
        for feature in walk.features:
            if "en" not in feature.title:
                bundle.problems.append(Problem("audit/losi.yaml", feature.id, "title needs English (en)"))
            if feature.criterion not in walk.criteria:
                bundle.problems.append(
                    Problem("audit/losi.yaml", feature.id, f"unknown criterion {feature.criterion!r}")
                )
            for code in feature.items:
                if known and code not in known:
                    bundle.problems.append(Problem("audit/losi.yaml", feature.id, f"no such item {code}"))
                elif known and known[code].kind not in ("binary", "scale"):
                    bundle.problems.append(
                        Problem("audit/losi.yaml", feature.id, f"{code} is neither binary nor scale")
                    )
        if len({f.id for f in walk.features}) != len(walk.features):
            bundle.problems.append(Problem("audit/losi.yaml", "features", "feature ids repeat"))
