"""The golden example on the newest CeDS version, computed here and shown in docs/methodology.md.

Golden Example City's version-1 answers are carried to the newest version through its
crosswalk (ceds.frameworks.crosswalk.carry_map, as a new cycle carries them); an item the
crosswalk reaches from no version-1 answer is answered by a stated rule (NEW_LEVEL,
NEW_SERVICE). The engine's figures are written as the table between the markers in
docs/methodology.md; this test fails when the two differ, so the page cannot drift from the
content or the engine. After a deliberate change, rewrite the table with

    CEDS_TESTING=1 CEDS_WRITE_GOLDEN=1 .venv/bin/pytest -q -n 0 ceds/assessments/tests/test_golden_example_v2.py
"""

import os
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from ceds.content.reader import read_content
from ceds.frameworks.crosswalk import carry_map
from ceds.scoring.engine import Engine

FIXTURE = Path(__file__).parent / "fixtures" / "golden_city.yaml"
METHODOLOGY = Path(settings.BASE_DIR) / "docs" / "methodology.md"
START, END = "<!-- golden-newest:start -->", "<!-- golden-newest:end -->"
NEW_LEVEL = {"value": 3}
NEW_SERVICE = {"status": "operating", "level": 3, "utilization": 50}


def _one(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


@pytest.fixture(scope="module")
def golden():
    bundle = read_content(Path(settings.CONTENT_DIR))
    assert not bundle.problems
    newest = bundle.framework("ceds")
    old = bundle.framework("ceds", 1)
    crosswalk = next(lf.crosswalk for lf in bundle.frameworks if lf.framework is newest)
    old_answers = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["answers"]
    old_kinds = {item.id: item.kind for _s, item in old.items()}
    new_kinds = {item.id: item.kind for _s, item in newest.items()}
    carried = carry_map({c: old_kinds[c] for c in old_answers}, new_kinds, crosswalk if newest is not old else None)
    answers = {new: old_answers[old_id] for old_id, new in carried.items()}
    added = []
    for _s, item in newest.items():
        if item.id in answers or item.kind == "text":
            continue
        answers[item.id] = NEW_LEVEL if item.kind == "level" else NEW_SERVICE
        added.append(item.id)
    result = Engine(newest.engine_definition()).score(answers)
    return newest, answers, set(carried.values()), added, result


def markdown(golden) -> str:
    framework, _answers, carried, added, result = golden
    lines = [
        f"Version {framework.version}: {len(carried)} answers carried from version 1 through the crosswalk, "
        f"{len(added)} new in version {framework.version} answered by the rule above"
        + (f" ({', '.join(added)})" if added else "")
        + ".",
        "",
        "| figure | items counted | score | level | total services | Operation % | Developing % | Utilization % |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for part in framework.parts:
        for group in part.groups:
            for section in group.sections:
                figure = result[f"section:{section.id}"]
                extra = figure.extra
                services = (
                    f"{extra['total']} | {_one(extra['operating_pct'])} | {_one(extra['developing_pct'])} | "
                    f"{_one(extra['utilization_pct'])}"
                    if "total" in extra
                    else " | | | "
                )
                lines.append(
                    f"| {section.id} {section.title['en']} | {len(figure.contributions)} | {_one(figure.score)} | "
                    f"{figure.level or '–'} | {services} |"
                )
            if len(part.groups) > 1:
                figure = result[f"group:{part.id}/{group.id}"]
                lines.append(f"| **{group.title['en']}** | | **{_one(figure.score)}** | {figure.level} | | | | |")
        figure = result[f"part:{part.id}"]
        lines.append(f"| **Part {part.id}** | | **{_one(figure.score)}** | {figure.level} | | | | |")
    lines.append(f"| **Overall** | | **{_one(result.overall.score)}** | {result.overall.level} | | | | |")
    return "\n".join(lines)


def test_the_methodology_shows_the_golden_example_on_the_newest_version(golden):
    text = METHODOLOGY.read_text(encoding="utf-8")
    assert START in text and END in text
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    table = f"{START}\n{markdown(golden)}\n{END}"
    if os.environ.get("CEDS_WRITE_GOLDEN"):
        METHODOLOGY.write_text(before + table + after, encoding="utf-8")
        rest = table.removeprefix(START) + after
    assert START + rest.split(END, 1)[0] + END == table, "docs/methodology.md: rewrite the table (see this module)"


def test_the_golden_example_on_the_newest_version_is_complete_and_adds_up(golden):
    framework, _answers, carried, _added, result = golden
    assert result.overall.complete and carried, "every applicable item answered, most of them carried"
    parts = [result[f"part:{p.id}"].score for p in framework.parts]
    assert result.overall.score == pytest.approx(sum(parts) / len(parts))
    for figure in result.figures.values():
        if figure.contributions:
            assert figure.score == pytest.approx(sum(c.points for c in figure.contributions))
