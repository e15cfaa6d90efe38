"""validate_content: a good tree passes; each kind of mistake is reported with file and path."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ceds.content.reader import find_cycle, read_content

from .helpers import FIXTURE, copy_fixture, edit_yaml


def _gv(root):
    return root / "frameworks" / "kinds" / "1" / "sections" / "GV.yaml"


def _problems(root):
    return [str(p) for p in read_content(root).problems]


def test_the_fixture_with_all_six_kinds_is_valid():
    bundle = read_content(FIXTURE)
    assert bundle.problems == []
    kinds = {item.kind for _s, item in bundle.framework("kinds").items()}
    assert kinds == {"level", "service", "scale", "binary", "number", "text"}
    assert len(bundle.modules) == 2 and len(bundle.practices) == 1


def _set_anchor(level, text):
    def change(data):
        data["items"][0]["anchors"][level] = {"en": text}

    return change


def test_near_duplicate_anchors_are_rejected(tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(
        _gv(root), _set_anchor(2, "No written strategy exists and projects start department by department today.")
    )
    problems = _problems(root)
    assert any("GV.yaml: items[0] (GV-01).anchors: anchors 1 and 2 are near-duplicates" in p for p in problems), (
        problems
    )


def test_short_anchor_is_rejected(tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(_gv(root), _set_anchor(3, "Strategy approved."))
    assert any("items[0] (GV-01).anchors[3]: anchor has 2 words" in p for p in _problems(root))


def test_item_without_source_is_rejected(tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(_gv(root), lambda d: d["items"][1].pop("source"))
    assert any("GV.yaml: items[1].source: Field required" in p for p in _problems(root))


def test_missing_anchor_level_and_unknown_language(tmp_path):
    root = copy_fixture(tmp_path)

    def change(data):
        del data["items"][0]["anchors"][5]
        data["items"][3]["title"] = {"en": "x", "kr": "y"}

    edit_yaml(_gv(root), change)
    problems = _problems(root)
    assert any("items[0]: Value error, a level item needs anchors for each of the levels 1 to 5" in p for p in problems)
    assert any("items[3].title: Value error, unknown language code(s) kr" in p for p in problems)


def test_module_covering_too_many_items_is_rejected(tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(
        root / "modules" / "core.yaml", lambda d: d[0]["raises"].update({f"GV-{n:02d}": 3 for n in range(10, 22)})
    )
    problems = _problems(root)
    assert any("core.yaml: strategy.raises: covers 16 items" in p for p in problems), problems
    assert any("strategy.raises.GV-10: no such item" in p for p in problems)


def test_prerequisite_cycle_is_rejected(tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(root / "modules" / "core.yaml", lambda d: d[0].update(prerequisites=["e-mail"]))
    assert any("prerequisite cycle: e-mail -> strategy -> e-mail" in p for p in _problems(root))


def test_unknown_ids_are_rejected(tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(root / "modules" / "core.yaml", lambda d: d[1].update(prerequisites=["nowhere"]))
    edit_yaml(root / "practices" / "cases.yaml", lambda d: d[0].update(sections=["XX"]))
    edit_yaml(_gv(root), lambda d: d["items"][1].update(show_if={"item": "GV-99", "in": [3]}))
    problems = _problems(root)
    assert any("e-mail.prerequisites: nowhere is not a module" in p for p in problems)
    assert any("sample-case.sections: XX is not a dimension or domain" in p for p in problems)
    assert any("(GV-02).show_if: refers to GV-99, which does not exist" in p for p in problems)


def test_uncovered_item_is_reported_by_declared_coverage(tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(root / "modules" / "core.yaml", lambda d: d[0]["raises"].pop("GV-04"))
    assert any("module_coverage.A: no module raises GV-04" in p for p in _problems(root))


def test_broken_yaml_names_the_file(tmp_path):
    root = copy_fixture(tmp_path)
    _gv(root).write_text("id: GV\nitems: [\n", encoding="utf-8")
    assert any("GV.yaml: (file): cannot read YAML" in p for p in _problems(root))


def test_command_reports_and_exits_non_zero(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    edit_yaml(_gv(root), _set_anchor(3, "Too short."))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("validate_content", content=str(root))
    call_command("validate_content", content=str(FIXTURE))
    out = capsys.readouterr().out
    assert "framework kinds v1" in out and "content is valid" in out
    assert "languages: en 100%" in out


def test_find_cycle():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    assert find_cycle({"a": ["b"], "b": ["a"]}) == ["a", "b", "a"]
