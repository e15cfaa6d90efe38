"""A framework with service kinds: the form and the workbook show each service's scale and what its
utilization % counts; a service whose utilization is not asked takes none."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ceds.assessments.models import Answer
from ceds.content.tests.helpers import copy_fixture, edit_yaml
from ceds.frameworks.models import FrameworkVersion

HTMX = {"HTTP_HX_REQUEST": "true"}
COUNTS = "Staff with a city mailbox as a share of all staff who need one."
NOT_ASKED = "Building permits are counted in another service."


def _scale(prefix):
    return {n: {"name": {"en": f"{prefix} {n}"}, "description": {"en": f"{prefix} level {n}."}} for n in range(1, 6)}


@pytest.fixture
def assessment(world, tmp_path):
    from ceds.assessments import services

    root = copy_fixture(tmp_path)
    base = root / "frameworks" / "kinds" / "1"

    def declare(data):
        data["service_kinds"] = {
            "infrastructure": {"title": {"en": "Infrastructure scale"}, "levels": _scale("Infra")},
            "transaction": {"title": {"en": "Transaction scale"}, "levels": _scale("Trans")},
        }

    def kinds(data):
        data["items"][0].update(service_kind="infrastructure", utilization={"text": {"en": COUNTS}})
        data["items"][1].update(service_kind="transaction", utilization={"not_asked": {"en": NOT_ASKED}})

    edit_yaml(base / "framework.yaml", declare)
    edit_yaml(base / "sections" / "SV.yaml", kinds)
    call_command("load_content", content=str(root), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds", version=1)
    return services.open_assessment(world["a_coordinator"], world.city_a, version, "2026")


def test_the_form_shows_each_kinds_levels_and_the_utilization_definition(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    page = client.get(f"/assessments/{assessment.pk}/sections/SV/?view=cards").content.decode()
    assert "Infrastructure scale" in page and "Transaction scale" in page, "each kind's scale is explained once"
    first, second = page.split('id="answer-SV-002"')
    assert "1 · Infra 1" in first and "Trans" not in first.split('id="answer-SV-001"')[1]
    assert "1 · Trans 1" in second
    assert COUNTS in first and 'aria-describedby="util-why-SV-001 util-def-SV-001"' in first
    assert NOT_ASKED in second and 'name="utilization"' not in second, "no field when utilization is not asked"
    grid = client.get(f"/assessments/{assessment.pk}/sections/SV/").content.decode()
    assert "Infrastructure scale" in grid and "Transaction scale" in grid, "the grid explains the scales too"
    first, second = grid.split('id="row-SV-002"')
    assert "1 · Infra 1" in first and "1 · Trans 1" in second
    assert 'name="utilization"' in first and 'name="utilization"' not in second


def test_utilization_is_refused_where_it_is_not_asked(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    data = {"status": "operating", "level": "3", "utilization": "40", "base_version": 0}
    response = client.post(f"/assessments/{assessment.pk}/items/SV-002/", data, **HTMX)
    assert "Utilization is not asked for this service." in response.content.decode()
    assert not Answer.objects.exists()


def test_the_workbook_shows_the_definition_beside_the_field(world, assessment, client_for):
    response = client_for(world["a_coordinator"]).get(f"/assessments/{assessment.pk}/workbook.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = next(book[name] for name in book.sheetnames if name.startswith("SV"))
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert sheet.cell(1, 9).value == "Utilization: what is counted"
    assert rows["SV-001"][8].value == COUNTS and not rows["SV-001"][5].protection.locked
    assert NOT_ASKED in rows["SV-002"][8].value and rows["SV-002"][5].protection.locked
    lists = book["Lists"]
    columns = [[lists.cell(r, c).value for r in range(1, 6)] for c in range(1, lists.max_column + 1)]
    assert ["1 — Infra 1", "2 — Infra 2", "3 — Infra 3", "4 — Infra 4", "5 — Infra 5"] in columns
    assert any(column[0] == "1 — Trans 1" for column in columns)
