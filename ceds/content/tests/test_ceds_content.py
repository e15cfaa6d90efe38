"""The content we ship: counts, coverage and translation rules of the CeDS model (issue: content)."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from ceds.content.reader import read_content


@pytest.fixture(scope="module")
def bundle():
    bundle = read_content(Path(settings.CONTENT_DIR))
    assert bundle.problems == [], [str(p) for p in bundle.problems]
    return bundle


def _sections(framework, part_id):
    return [s for p in framework.parts if p.id == part_id for g in p.groups for s in g.sections]


@pytest.mark.parametrize("version", [1, 2])
def test_part_a_has_90_questions_in_six_dimensions_each_ending_with_a_text_item(bundle, version):
    ceds = bundle.framework("ceds", version)
    if ceds is None:
        pytest.skip(f"no CeDS version {version} in the content")
    sections = _sections(ceds, "A")
    assert [s.id for s in sections] == ["GM", "PI", "RC", "NW", "CR", "PS"]
    levels = {}
    for section in sections:
        kinds = [item.kind for item in section.items]
        levels[section.id] = kinds.count("level")
        assert kinds[-1] == "text", section.id
    assert sum(levels.values()) == 90, levels
    if version == 1:
        # Version 2 moves slots between dimensions (PI gains PI-17/PI-18, PS gives up overlaps with Part B).
        assert set(levels.values()) == {15}, levels
    groups = {g.id: [s.id for s in g.sections] for p in ceds.parts if p.id == "A" for g in p.groups}
    assert groups == {"internal": ["GM", "PI", "RC"], "external": ["NW", "CR", "PS"]}


def test_part_b_has_110_services_in_four_domains(bundle):
    sections = _sections(bundle.framework("ceds"), "B")
    counts = {s.id: sum(1 for i in s.items if i.kind == "service") for s in sections}
    assert counts == {"ADM": 30, "LIF": 35, "IND": 20, "INF": 25}
    assert sum(counts.values()) == 110
    first = sections[0].items[0]
    assert first.systems_example == "ipMail System (plus Mail)"


def test_at_least_half_of_part_a_cites_a_public_framework(bundle):
    questions = [i for s in _sections(bundle.framework("ceds"), "A") for i in s.items if i.kind == "level"]
    public = [q for q in questions if q.source.strip().lower() != "ceds"]
    assert len(public) >= 45


def test_modules_cover_every_question_and_domain_and_none_covers_more_than_15(bundle):
    assert len(bundle.modules) >= 40
    covered = {item for m in bundle.modules for item in m.raises}
    ceds = bundle.framework("ceds")
    for section in _sections(ceds, "A"):
        for item in section.items:
            if item.kind == "level":
                assert item.id in covered, item.id
    for section in _sections(ceds, "B"):
        assert any(i.id in covered for i in section.items), section.id
    assert max(len(m.raises) for m in bundle.modules) <= 15
    for module in bundle.modules:
        assert 5 <= len(module.steps) <= 10 and module.kpis and module.risks, module.id


def test_best_practices_include_the_15_wego_awards_2014_winners(bundle):
    assert len(bundle.practices) >= 30
    awards = [p for p in bundle.practices if p.award and p.award.name == "2nd WeGO Awards 2014"]
    assert len(awards) == 15
    grid = Counter((p.award.category, p.award.prize) for p in awards)
    assert set(grid.values()) == {1} and len(grid) == 15, "one winner per category and prize"
    assert {p.city for p in awards if p.award.category == "urban_management" and p.award.prize == "best"} == {"Seoul"}


def test_the_two_other_frameworks(bundle):
    smart = bundle.framework("smart-city")
    assert [s.id for s in _sections(smart, "S")] == ["LG", "SE", "DU", "II", "ES"]
    assert all(s.target for s in _sections(smart, "S"))
    website = bundle.framework("website")
    sections = _sections(website, "W")
    assert [s.title["en"] for s in sections] == [
        "Privacy/Security",
        "Usability",
        "Content",
        "Services",
        "Citizen Participation",
    ]
    for section in sections:
        assert 15 <= len(section.items) <= 25
        assert {i.kind for i in section.items} <= {"scale", "binary"}
        assert section.weight == 1


def test_korean_covers_structure_names_and_every_question(bundle):
    ceds = bundle.framework("ceds")
    assert ceds.title.get("ko")
    for part in ceds.parts:
        assert part.title.get("ko")
        for group in part.groups:
            assert group.title.get("ko")
            for section in group.sections:
                assert section.title.get("ko"), section.id
                for item in section.items:
                    assert item.title.get("ko"), item.id
                    if item.kind == "level":
                        assert item.text.get("ko"), item.id
    assert all(level.name.get("ko") for level in ceds.levels)
    assert all(m.title.get("ko") for m in bundle.modules)
