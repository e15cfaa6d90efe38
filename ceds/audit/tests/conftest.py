import io

import pytest


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
    from ceds.audit.tests.factories import load_website_framework

    return load_website_framework(tmp_path_factory.mktemp("content"))


@pytest.fixture
def open_website(world, website):
    """City A's open website evaluation, with the portal address in its profile."""
    from ceds.assessments import services

    return services.open_assessment(world["a_coordinator"], world.city_a, website, "2026")


def quiet():
    return io.StringIO()
