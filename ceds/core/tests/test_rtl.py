"""Right-to-left: our stylesheets use logical properties only, and Arabic pages say dir="rtl"."""

import re
from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted(
    p
    for p in Path(settings.BASE_DIR).glob("**/static/**/*.css")
    if ".venv" not in p.parts and "node_modules" not in p.parts and "staticfiles" not in p.parts
)
# Physical directions that do not mirror in right-to-left languages, and their logical forms.
PHYSICAL = re.compile(
    r"(?<![-\w])(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
    r"|(?:float|clear|text-align)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
)


def test_there_are_stylesheets_to_check():
    assert any(p.name == "ceds.css" for p in STYLESHEETS) and any(p.name == "report.css" for p in STYLESHEETS)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_stylesheet_uses_logical_properties(path):
    problems = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PHYSICAL.search(line.split("/*")[0])
    ]
    assert not problems, "use inline-start/inline-end instead:\n" + "\n".join(problems)


def test_the_lint_catches_physical_properties():
    for bad in ("margin-left: 1rem", "  right: 0;", "float: left", "text-align:right", "border-top-left-radius: 2px"):
        assert PHYSICAL.search(bad), bad
    for good in ("margin-inline-start: 1rem", "inset-inline-end: 0", "text-align: start", "--gap-left-ish: 1"):
        assert not PHYSICAL.search(good), good


def test_arabic_pages_are_right_to_left(client, db):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()
