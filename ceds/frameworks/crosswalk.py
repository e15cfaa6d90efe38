"""Crosswalks between framework versions, and titles alike within one version (pure: plain data).

A version's `crosswalk.yaml` maps every item of the previous version to its id in this one, or
to `dropped`. Carrying answers forward, comparing two cycles and the history all read old ids
through `carry_map`, so they agree on which answer became which. `linked` lists pairs of items
of this version whose titles are alike on purpose (docs/content-format.md).
"""

from __future__ import annotations

from difflib import SequenceMatcher

DROPPED = "dropped"
SIMILAR_TITLES = 0.8  # difflib SequenceMatcher ratio above which two titles read as the same


def item_kinds(definition: dict) -> dict[str, str]:
    """item id -> kind of a framework definition, in its order."""
    return {
        item["id"]: item["kind"]
        for part in definition["parts"]
        for group in part["groups"]
        for section in group["sections"]
        for item in section.get("items", [])
    }


def mapping(crosswalk: dict | None) -> dict[str, str]:
    return dict((crosswalk or {}).get("items") or {})


def carry_map(old_kinds: dict[str, str], new_kinds: dict[str, str], crosswalk: dict | None) -> dict[str, str]:
    """old id -> new id for the answers that carry over to the new version.

    `old_kinds` and `new_kinds` map item ids to their kind. An old id the crosswalk does not
    name keeps its id; `dropped` items and items whose new kind differs (an answer of another
    shape) are not carried. When several old items map to one new item, the one that keeps the
    id wins, else the first in the old version's order, so one answer per new item.
    """
    items = mapping(crosswalk)
    out: dict[str, str] = {}
    taken: set[str] = set()
    candidates = [(old, items.get(old, old)) for old in old_kinds]
    # Identity entries first, so a renamed item never displaces one that kept its id.
    for old, new in sorted(candidates, key=lambda pair: pair[0] != pair[1]):
        if new == DROPPED or new not in new_kinds or new in taken or new_kinds[new] != old_kinds[old]:
            continue
        out[old] = new
        taken.add(new)
    return {old: out[old] for old in old_kinds if old in out}


def linked_pairs(crosswalk: dict | None) -> set[frozenset[str]]:
    """The pairs of this version's items declared alike on purpose (`linked: [[A, B], ...]`)."""
    pairs = set()
    for entry in (crosswalk or {}).get("linked") or []:
        if isinstance(entry, list) and len(entry) == 2:
            pairs.add(frozenset(entry))
    return pairs


def similar_titles(items: list[tuple[str, str]], linked: set[frozenset[str]] = frozenset()) -> list[tuple]:
    """(id, id, ratio) for every two items of one version whose English titles match
    (SequenceMatcher ratio > SIMILAR_TITLES, case and spacing ignored), unless linked."""
    normal = [(item_id, " ".join(title.lower().split())) for item_id, title in items]
    found = []
    for i, (a, title_a) in enumerate(normal):
        for b, title_b in normal[i + 1 :]:
            matcher = SequenceMatcher(None, title_a, title_b)
            if matcher.real_quick_ratio() <= SIMILAR_TITLES or matcher.quick_ratio() <= SIMILAR_TITLES:
                continue
            ratio = matcher.ratio()
            if ratio > SIMILAR_TITLES and frozenset((a, b)) not in linked:
                found.append((a, b, ratio))
    return found
