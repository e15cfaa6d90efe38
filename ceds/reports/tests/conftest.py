"""Fixtures of the report tests."""

import io

import pytest
import yaml
from django.core.management import call_command

from ceds.assessments.models import Answer, Assessment
from ceds.assessments.scoring import store_snapshot
from ceds.frameworks.models import FrameworkVersion, Item
from ceds.reports.tests.helpers import GOLDEN


@pytest.fixture
def golden(world):
    call_command("load_content", stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="ceds", version=1)
    answers = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))["answers"]
    assessment = Assessment.objects.create(
        city=world.city_a, framework_version=version, period="2025", status="validated"
    )
    items = {i.code: i for i in Item.objects.filter(framework_version=version)}
    Answer.objects.bulk_create(Answer(assessment=assessment, item=items[c], value=v) for c, v in answers.items())
    store_snapshot(assessment)
    return assessment
