"""Service kinds and utilization: required once a framework declares service_kinds, refused otherwise."""

from pathlib import Path

from ceds.content.reader import read_content

from .helpers import copy_fixture, edit_yaml

KINDS = {
    "transaction": {
        "title": {"en": "Transaction services"},
        "levels": {n: {"name": {"en": f"T{n}"}, "description": {"en": f"Transaction level {n}."}} for n in range(1, 6)},
    },
    "information": {
        "title": {"en": "Information services"},
        "level_scores": {1: 10, 2: 30, 3: 50, 4: 75, 5: 100},
        "levels": {n: {"name": {"en": f"I{n}"}, "description": {"en": f"Information level {n}."}} for n in range(1, 6)},
    },
}


def _paths(root: Path):
    base = root / "frameworks" / "kinds" / "1"
    return base / "framework.yaml", base / "sections" / "SV.yaml"


def _declare_kinds(data):
    data["service_kinds"] = KINDS


def _kind_all(kind="transaction", utilization=None):
    def change(data):
        for item in data["items"]:
            item["service_kind"] = kind
            item["utilization"] = utilization or {"text": {"en": "Applications made online as a share of all."}}

    return change


def _problems(root):
    return [str(p) for p in read_content(root).problems]


def test_declared_kinds_make_kind_and_utilization_required(tmp_path):
    root = copy_fixture(tmp_path)
    framework, _sv = _paths(root)
    edit_yaml(framework, _declare_kinds)
    problems = _problems(root)
    assert any(
        "SV.yaml: items[0] (SV-001): service_kind is required: one of transaction, information" in p for p in problems
    ), problems
    assert any("SV.yaml: items[1] (SV-002): utilization is required" in p for p in problems), problems


def test_a_framework_with_kinds_declared_and_used_is_valid(tmp_path):
    root = copy_fixture(tmp_path)
    framework, sv = _paths(root)
    edit_yaml(framework, _declare_kinds)
    edit_yaml(sv, _kind_all(utilization={"not_asked": {"en": "No sensible share for this service."}}))
    assert _problems(root) == []


def test_an_undeclared_kind_is_named(tmp_path):
    root = copy_fixture(tmp_path)
    framework, sv = _paths(root)
    edit_yaml(framework, _declare_kinds)
    edit_yaml(sv, _kind_all(kind="back_office"))
    assert any("service_kind 'back_office' is not one of transaction, information" in p for p in _problems(root))


def test_a_kind_without_declared_kinds_is_refused(tmp_path):
    root = copy_fixture(tmp_path)
    _framework, sv = _paths(root)
    edit_yaml(sv, _kind_all())
    assert any("service_kind needs service_kinds declared in framework.yaml" in p for p in _problems(root))


def test_utilization_gives_text_or_not_asked_but_not_both(tmp_path):
    root = copy_fixture(tmp_path)
    framework, sv = _paths(root)
    edit_yaml(framework, _declare_kinds)
    edit_yaml(sv, _kind_all(utilization={"text": {"en": "A share."}, "not_asked": {"en": "A reason."}}))
    assert any("give either text:" in p for p in _problems(root))


def test_utilization_belongs_to_services_only(tmp_path):
    root = copy_fixture(tmp_path)
    gv = root / "frameworks" / "kinds" / "1" / "sections" / "GV.yaml"

    def change(data):
        data["items"][0]["utilization"] = {"text": {"en": "A share."}}

    edit_yaml(gv, change)
    assert any("service_kind and utilization belong to service items, not level" in p for p in _problems(root))


def test_kind_level_scores_must_rise(tmp_path):
    root = copy_fixture(tmp_path)
    framework, sv = _paths(root)

    def change(data):
        data["service_kinds"] = {
            **KINDS,
            "information": {**KINDS["information"], "level_scores": {1: 50, 2: 30, 3: 50, 4: 75, 5: 100}},
        }

    edit_yaml(framework, change)
    edit_yaml(sv, _kind_all())
    assert any("level scores must not decrease" in p for p in _problems(root))


def test_a_framework_without_kinds_keeps_its_definition_unchanged(tmp_path):
    """Published versions are checked by checksum: the new fields must not appear in them."""
    bundle = read_content(copy_fixture(tmp_path))
    definition = bundle.framework("kinds").engine_definition()
    assert "service_kinds" not in definition
    items = [i for p in definition["parts"] for g in p["groups"] for s in g["sections"] for i in s["items"]]
    assert not any("service_kind" in i or "utilization" in i for i in items)


def test_ceds_version_2_rates_every_service_on_a_declared_kind():
    bundle = read_content(Path(__file__).resolve().parents[3] / "content")
    framework = bundle.framework("ceds", 2)
    services = [item for _s, item in framework.items() if item.kind == "service"]
    assert len(services) == 110
    assert {s.service_kind for s in services} == {"transaction", "back_office", "infrastructure", "information"}
    assert all(s.utilization is not None for s in services)
    assert framework.service_kinds["information"].level_scores[1] > 0
