"""Fixtures of the solutions tests."""

import io

import pytest
from django.core.management import call_command

from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion
from ceds.solutions.tests.helpers import LOW, validated_cycle


@pytest.fixture
def validated(world):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    return validated_cycle(world, FrameworkVersion.objects.get(framework_id="kinds"), "2025", LOW)
