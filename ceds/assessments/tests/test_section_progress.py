"""An autosave shows the section's progress from that section's answers alone: the same figure."""

import io

import pytest
import yaml
from django.core.management import call_command

from ceds.assessments.models import Answer, Assessment
from ceds.assessments.scoring import compute, section_result
from ceds.benchmarks.tests.helpers import ANSWERS, validated_result
from ceds.frameworks.models import FrameworkVersion, Item


def _same(assessment):
    whole = compute(assessment)
    for part in assessment.framework_version.definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                key = f"section:{section['id']}"
                alone, full = section_result(assessment, section["id"])[key], whole[key]
                assert (alone.score, alone.level, alone.answered, alone.applicable) == (
                    full.score,
                    full.level,
                    full.answered,
                    full.applicable,
                ), section["id"]


@pytest.mark.parametrize("gate", ["1", "4"])
def test_it_matches_the_whole_assessment_with_conditional_items(world, kinds, gate):
    # GV-02 is shown only when GV-01 is 2 or more: both sides of the condition.
    _same(validated_result(world, kinds, "2025", {**ANSWERS, "GV-01": {"choice": gate}}))


def test_it_matches_the_whole_assessment_on_the_ceds_golden_city(world):
    from pathlib import Path

    call_command("load_content", stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="ceds", version=1)
    fixture = Path(__file__).resolve().parent / "fixtures" / "golden_city.yaml"
    answers = yaml.safe_load(fixture.read_text(encoding="utf-8"))["answers"]
    assessment = Assessment.objects.create(city=world.city_a, framework_version=version, period="2025")
    items = {i.code: i for i in Item.objects.filter(framework_version=version)}
    Answer.objects.bulk_create(Answer(assessment=assessment, item=items[c], value=v) for c, v in answers.items())
    _same(assessment)
