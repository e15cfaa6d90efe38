"""Markup typed by users is shown as text everywhere: pages, the API and the PDF.

A city, a comment, a shared practice and an action are all named <script>alert(1)</script>;
every page that shows them must show the text escaped and never the live tag.
"""

import io
import subprocess

import pytest
from django.core.management import call_command

EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile(world):
    from ceds.api.tests.fixtures import FULL, fill, validated
    from ceds.assessments import services as workflow
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion, Item
    from ceds.solutions import services as solutions
    from ceds.solutions.models import Practice

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    world.city_a.name = f"Seoul {EVIL}"
    world.city_a.save()
    world.extra = {"version": FrameworkVersion.objects.get(framework_id="kinds")}
    done = validated(world, "2025", sharing="named")
    item = Item.objects.get(framework_version=done.framework_version, code="GV-01")
    workflow.add_comment(world["a_coordinator"], done, item, f"See {EVIL}")
    solutions.save_action(world["a_coordinator"], done, {"title": f"Train {EVIL}", "status": "planned"})
    draft = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2026")
    fill(world, draft, {"GV-01": FULL["GV-01"]})
    Practice.objects.create(
        code="city-seoul-evil",
        origin="city",
        status="published",
        title={"en": f"Kiosks {EVIL}"},
        city_name=world.city_a.name,
        country="KR",
        year=2025,
        city=world.city_a,
        submitted_by=world["a_coordinator"],
        data={
            "title": {"en": f"Kiosks {EVIL}"},
            "summary": {"en": f"Summary {EVIL}"},
            "categories": [],
            "sections": [],
        },
    )
    world.extra.update(done=done, draft=draft, item=item)
    return world


def _pages(world):
    done, draft = world.extra["done"].pk, world.extra["draft"].pk
    return [
        ("a_coordinator", "/"),
        ("a_coordinator", "/cities/"),
        ("a_coordinator", "/cities/seoul/"),
        ("a_coordinator", "/cities/seoul/assessments/"),
        ("a_coordinator", f"/assessments/{done}/"),
        ("a_coordinator", f"/assessments/{done}/sections/GV/"),
        ("a_coordinator", f"/assessments/{done}/dashboard/"),
        ("a_coordinator", f"/assessments/{done}/history/"),
        ("a_coordinator", f"/assessments/{done}/plan/"),
        ("a_coordinator", f"/assessments/{done}/actions/"),
        ("a_coordinator", f"/assessments/{done}/report/"),
        ("a_coordinator", f"/assessments/{draft}/"),
        ("a_coordinator", "/practices/"),
        ("a_coordinator", "/practices/mine/"),
        ("secretariat", "/audit/"),
        ("secretariat", "/practices/review/"),
        (None, "/map/"),
        (None, "/rankings/"),
        (None, "/public/cities/seoul/"),
    ]


def test_markup_is_escaped_on_every_page(hostile, client_for):
    shown = 0
    for persona, url in _pages(hostile):
        response = client_for(hostile[persona] if persona else None).get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert EVIL not in body, f"{url} shows live markup"
        shown += ESCAPED in body or "\\u003cscript\\u003e" in body or "<script>alert" in body.replace(EVIL, "")
    assert shown >= 15, "the hostile names are on the pages, escaped"


def test_the_api_returns_names_as_data_never_as_html(hostile, client_for):
    # JSON carries the text as typed; it is never served as a document a browser would run.
    response = client_for(None).get("/api/v1/cities/seoul/")
    assert response.json()["name"] == f"Seoul {EVIL}"
    assert response["Content-Type"] == "application/json" and response["X-Content-Type-Options"] == "nosniff"


def test_markup_is_plain_text_in_the_pdf(hostile, client_for, tmp_path):
    pdf = client_for(hostile["a_coordinator"]).get(f"/assessments/{hostile.extra['done'].pk}/report.pdf").content
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Seoul <script>alert(1)</script>" in text, "shown as the literal text the city typed"
    assert "Train <script>alert(1)</script>" in text
