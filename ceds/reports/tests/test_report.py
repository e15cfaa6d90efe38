"""The report page and PDF: sections, figures equal to the snapshot, fonts, table of contents."""

import io
import re
import subprocess

import pytest
from django.core.management import call_command

from ceds.frameworks.models import FrameworkVersion
from ceds.reports.tests.helpers import pdf_text

SECTIONS = [
    "Executive summary",
    "Scores",
    "Findings by dimension and domain",
    "Services identification",
    "Budget vs spending",
    "Benchmark position and progress",
    "Key gaps and action items",
    "Recommended modules",
    "Roadmap",
    "Best practices",
    "Methodology",
]


def test_report_page_has_every_section(world, golden, client_for):
    page = client_for(world["a_viewer"]).get(f"/assessments/{golden.pk}/report/")
    assert page.status_code == 200
    text = page.content.decode()
    for section in SECTIONS:
        assert section in text, section


def test_pdf_contains_the_sections_and_the_snapshots_figures(world, golden, client_for, tmp_path):
    response = client_for(world["a_viewer"]).get(f"/assessments/{golden.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for section in SECTIONS:
        assert section in text, section
    figures = golden.snapshots.get(is_current=True).figures
    assert f"{figures['overall']['score']:.1f}" == "48.0" and "48.0" in text
    for key in ("section:GM", "section:RC", "section:INF", "part:B"):
        assert f"{figures[key]['score']:.1f}" in text, key


def test_table_of_contents_page_numbers_match_the_pages(world, golden, client_for, tmp_path):
    pdf = client_for(world["a_viewer"]).get(f"/assessments/{golden.pk}/report.pdf").content
    toc = pdf_text(pdf, tmp_path, "toc.pdf", "-f", "1", "-l", "1")
    entries = dict(re.findall(r"\d+\.\s+(.+?)\s*\.{3,}\s*(\d+)", toc))
    assert len(entries) >= 10
    for title, page in entries.items():
        page_text = pdf_text(pdf, tmp_path, "p.pdf", "-f", page, "-l", page)
        assert title.strip() in page_text, f"{title} is not on page {page}"


@pytest.mark.parametrize(("language", "font"), [("ko", "CJK"), ("ar", "Arabic")])
def test_korean_and_arabic_reports_embed_fonts_for_their_scripts(world, golden, tmp_path, language, font):
    from ceds.reports.pdf import render_pdf

    path = tmp_path / f"{language}.pdf"
    path.write_bytes(render_pdf(world["a_viewer"], golden, language))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert any(font in line and " yes " in line for line in fonts.splitlines()), fonts


def test_provisional_report_says_so_on_every_page(world, client_for, tmp_path):
    from ceds.assessments import services
    from ceds.content.tests.helpers import FIXTURE

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    draft = services.open_assessment(world["a_coordinator"], world.city_a, version, "2026")
    pdf = client_for(world["a_coordinator"]).get(f"/assessments/{draft.pk}/report.pdf").content
    pages = pdf_text(pdf, tmp_path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert pages and all("PROVISIONAL" in p for p in pages)
    assert client_for(world["a_viewer"]).get(f"/assessments/{draft.pk}/report.pdf").status_code == 404


def test_render_reports_command_writes_pdfs(world, golden, tmp_path):
    out = io.StringIO()
    call_command("render_reports", output=str(tmp_path / "out"), framework="ceds", stdout=out)
    files = list((tmp_path / "out").glob("*.pdf"))
    assert [f.name for f in files] == ["seoul-ceds-2025.pdf"] and files[0].stat().st_size > 10_000
    assert "1/1" in out.getvalue()


def test_arabic_report_reads_in_arabic(world, golden, tmp_path):
    from django.utils import translation

    from ceds.reports.pdf import render_pdf

    text = pdf_text(render_pdf(world["a_viewer"], golden, "ar"), tmp_path, "ar.pdf")
    with translation.override("ar"):
        heading = translation.gettext("Executive summary")
    assert heading != "Executive summary", "the Arabic catalogue is compiled"
    assert heading in text
