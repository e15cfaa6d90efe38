"""A report's format is its declared version, templates and catalogues: not every Python file."""

import shutil
from pathlib import Path

import pytest

from ceds.reports import issue


@pytest.fixture
def site(tmp_path, settings):
    root = Path(settings.BASE_DIR)
    shutil.copytree(root / "templates" / "reports", tmp_path / "templates" / "reports")
    shutil.copytree(root / "locale" / "fr", tmp_path / "locale" / "fr", ignore=shutil.ignore_patterns("*.mo"))
    (tmp_path / "ceds" / "reports" / "tests").mkdir(parents=True)
    settings.BASE_DIR = tmp_path
    issue.report_format.cache_clear()
    yield tmp_path
    issue.report_format.cache_clear()


def _format() -> str:
    issue.report_format.cache_clear()
    return issue.report_format()


def test_editing_python_code_or_a_test_keeps_the_format(site):
    before = _format()
    (site / "ceds" / "reports" / "tests" / "test_new.py").write_text("def test_x():\n    pass\n")
    (site / "ceds" / "reports" / "assemble.py").write_text("# edited\n")
    assert _format() == before


def test_a_template_a_catalogue_or_the_declared_version_changes_it(site, monkeypatch):
    before = _format()
    body = site / "templates" / "reports" / "_body.html"
    body.write_text(body.read_text() + "\n")
    after_template = _format()
    assert after_template != before
    catalogue = site / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    catalogue.write_text(catalogue.read_text() + "\n")
    after_catalogue = _format()
    assert after_catalogue != after_template
    monkeypatch.setattr(issue, "FORMAT_VERSION", issue.FORMAT_VERSION + 1)
    assert _format() != after_catalogue
