"""content/audit/: which items the audit checks (checks.yaml) and the LOSI-style crosswalk (losi.yaml).

Read once per process (content is fixed while a process runs); `validate_content` checks it
against the frameworks (ceds/content/audit.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field

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


def read(root: Path) -> tuple[list[CheckMap], Crosswalk | None]:
    """The check maps and the crosswalk under root/audit/ (raises ValidationError or YAMLError)."""
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
    return read(Path(settings.CONTENT_DIR))


def item_checks(framework_id: str, version: int) -> dict[str, ItemCheck]:
    """item code -> its check, for one framework version (empty when none is checked)."""
    for mapping in _content()[0]:
        if mapping.framework == framework_id and mapping.version == version:
            return mapping.items
    return {}


def crosswalk(framework_id: str, version: int) -> Crosswalk | None:
    found = _content()[1]
    return found if found and found.framework == framework_id and found.version == version else None
