"""Content rules of versions after the first: no two items of a version titled alike unless
linked (the crosswalk's `linked` pairs or a derivation), and weights on every figure."""

from pathlib import Path

import pytest
from django.conf import settings

from ceds.content.reader import Bundle, _check_crosswalk, read_content
from ceds.frameworks.crosswalk import linked_pairs, similar_titles
from ceds.scoring.engine import Engine

# Fields by which an item says it derives from another (counted once, shown in the form).
DERIVATION_FIELDS = ("derived_from", "derives_from", "derive_from")


@pytest.fixture(scope="module")
def bundle():
    bundle = read_content(Path(settings.CONTENT_DIR))
    assert bundle.problems == [], [str(p) for p in bundle.problems]
    return bundle


def _derivations(item) -> set[frozenset[str]]:
    data = item.model_dump(mode="json", by_alias=True)
    pairs = set()
    for name in DERIVATION_FIELDS:
        value = data.get(name)
        target = value.get("item") if isinstance(value, dict) else value
        if isinstance(target, str):
            pairs.add(frozenset((item.id, target)))
    return pairs


def test_no_two_items_of_a_new_version_share_a_title_unless_linked(bundle):
    # Version 1 of each framework is published and immutable (CeDS 1 holds the overlaps issue 21
    # lists); the rule holds for every version written since: those with a crosswalk.
    checked = [lf for lf in bundle.frameworks if lf.crosswalk is not None]
    assert any(lf.framework.id == "ceds" for lf in checked), "the newest CeDS version has a crosswalk"
    for lf in checked:
        scored = [item for _s, item in lf.framework.items() if item.kind != "text"]
        linked = linked_pairs(lf.crosswalk).union(*(_derivations(item) for item in scored))
        found = similar_titles([(item.id, item.title["en"]) for item in scored], linked)
        assert found == [], (
            f"{lf.framework.id} {lf.framework.version}: titles alike (difflib ratio > 0.8); reword one, make one "
            f"derive from the other, or list the pair under `linked:` in crosswalk.yaml: {found}"
        )


def test_similar_titles_finds_near_duplicates_and_respects_links():
    items = [("PS-09", "Open data portal"), ("INF-006", "Open Data  portal"), ("GM-01", "Digital strategy")]
    assert [(a, b) for a, b, _r in similar_titles(items)] == [("PS-09", "INF-006")]
    assert similar_titles(items, {frozenset(("INF-006", "PS-09"))}) == []
    assert similar_titles([("A-01", "Digital identity among residents"), ("A-02", "Digital payments among residents")])


def test_a_linked_pair_must_name_two_items_of_the_version(bundle, tmp_path):
    lf = next(lf for lf in bundle.frameworks if lf.crosswalk is not None)
    path = tmp_path / "crosswalk.yaml"
    path.write_text("from_version: 1\nitems: {}\nlinked:\n  - [GM-01, XX-99]\n  - [GM-01]\n", encoding="utf-8")
    check = Bundle(root=tmp_path)
    _check_crosswalk(lf.framework, path, check)
    messages = [f"{p.path}: {p.message}" for p in check.problems]
    assert messages == [
        f"linked[0]: XX-99 is not in version {lf.framework.version}",
        "linked[1]: needs two different item ids: [A, B]",
    ]


def test_every_version_reaches_the_engine_with_every_weight_filled_in(bundle):
    # The engine refuses a figure without a weight; the schema and engine_definition() fill them.
    for lf in bundle.frameworks:
        definition = lf.framework.engine_definition()
        Engine(definition)
        for part in definition["parts"]:
            assert part["weight"] > 0
            for group in part["groups"]:
                assert group["weight"] > 0
                for section in group["sections"]:
                    assert section["weight"] > 0
                    assert all(i["weight"] > 0 for i in section["items"] if i["kind"] != "text")
