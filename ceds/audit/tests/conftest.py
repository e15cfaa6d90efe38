import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def sites():
    from ceds.audit.tests.sites import start_sites

    started = start_sites()
    yield started
    for site in started.values():
        site.close()


@pytest.fixture
def website(db, tmp_path_factory):
    """The real website-evaluation framework (v1) loaded alone, with content/audit beside it."""
    from ceds.frameworks.content import read_content
    from ceds.frameworks.loader import load_framework
    from ceds.frameworks.models import FrameworkVersion

    root = tmp_path_factory.mktemp("content")
    source = Path(settings.CONTENT_DIR)
    shutil.copytree(source / "frameworks" / "website", root / "frameworks" / "website")
    shutil.copytree(source / "audit", root / "audit")
    bundle = read_content(root)
    assert not bundle.problems, bundle.problems
    load_framework(bundle.framework("website", 1), None, root)
    return FrameworkVersion.objects.get(framework_id="website", version=1)


@pytest.fixture
def open_website(world, website):
    """City A's open website evaluation, with the portal address in its profile."""
    from ceds.assessments import services

    return services.open_assessment(world["a_coordinator"], world.city_a, website, "2026")


def quiet():
    return io.StringIO()
