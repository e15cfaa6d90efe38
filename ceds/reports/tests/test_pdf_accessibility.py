"""The report PDF is accessible in every language: tagged (PDF/UA-1), its language set, its
title shown, XMP metadata, headings, tables and figures with alternative text in the structure
tree, every font embedded. Checked with poppler (pdfinfo, pdffonts) and qpdf. Heavy: it renders
the report in every language, so it runs in one CI pass."""

import re
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.heavy


def _run(*command) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _pdf_string(token: str) -> str:
    """A PDF string as qpdf writes it: (literal) or <hex>, UTF-16 when it starts with a BOM."""
    if token.startswith("<"):
        raw = bytes.fromhex(token[1:-1])
        return raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    return token[1:-1]


@pytest.fixture(scope="module")
def languages():
    return [code for code, _name in settings.LANGUAGES]


def test_every_report_language_gives_a_tagged_pdf_with_text_alternatives(world, golden, tmp_path, languages):
    from ceds.reports.pdf import render_pdf

    for language in languages:
        path = tmp_path / f"{language}.pdf"
        path.write_bytes(render_pdf(world["a_viewer"], golden, language))
        info = _run("pdfinfo", str(path))
        assert re.search(r"^Tagged:\s+yes$", info, re.M), (language, info)
        assert re.search(r"^Metadata Stream:\s+yes$", info, re.M), (language, info)
        assert re.search(r"^Title:\s+Seoul · 2025$", info, re.M), (language, info)

        struct = _run("pdfinfo", "-struct", str(path))
        tags = set(re.findall(r"^\s*([A-Za-z0-9]+)", struct, re.M))
        assert {"Document", "H1", "H2", "H3", "P", "L", "LI", "Table", "TR", "TH", "TD", "Figure"} <= tags, (
            language,
            sorted(tags),
        )

        plain = tmp_path / f"{language}-qdf.pdf"
        subprocess.run(
            ["qpdf", "--qdf", "--object-streams=disable", str(path), str(plain)], check=True, capture_output=True
        )
        raw = plain.read_bytes().decode("latin-1")
        lang = re.search(r"/Lang (\([^)]*\)|<[0-9a-fA-F]*>)", raw)
        assert lang and _pdf_string(lang.group(1)) == language, (language, lang)
        assert "/DisplayDocTitle true" in raw and "/MarkInfo" in raw and "/StructTreeRoot" in raw
        figures = raw.count("/S /Figure")
        alts = [_pdf_string(t) for t in re.findall(r"/Alt (\([^)]*\)|<[0-9a-fA-F]*>)", raw)]
        assert figures == struct.count("Figure") >= 1 and len(alts) == figures, (language, figures, alts)
        assert all(alt.strip() for alt in alts), (language, alts)

        fonts = _run("pdffonts", str(path)).splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), (language, fonts)
