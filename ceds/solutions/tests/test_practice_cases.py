"""Practices worth reading: described cases carry their sources; award entries without one say so."""

import io
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from pydantic import ValidationError

from ceds.content.schema import Practice as PracticeSchema

CASE = {
    "id": "a-case",
    "title": {"en": "A case"},
    "city": "Kigali",
    "country": "RW",
    "year": 2020,
    "categories": ["services"],
    "summary": {"en": "A summary."},
    "source": "CeDS editorial",
}


def test_the_library_has_twenty_described_cases_and_award_entries_say_when_none_is_found():
    practices = [
        PracticeSchema.model_validate(entry)
        for path in sorted((Path(settings.BASE_DIR) / "content" / "practices").glob("*.yaml"))
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    described = [p for p in practices if p.substantive()]
    assert len(described) >= 20, [p.id for p in described]
    for practice in described:
        # Every figure in a described case is in a text that names where it comes from.
        assert all(s.title and s.publisher for s in practice.sources), practice.id
    for practice in practices:
        if practice.award is not None:
            assert practice.no_public_description and not practice.substantive(), practice.id
            assert "No public description of the winning entry was found." in practice.summary["en"]
            # Nothing attached after the award sentence as if it were the winning entry.
            assert not re.search(r"TOPIS|Infoshare|data\.gov\.hk", practice.summary["en"]), practice.id


def test_a_described_case_needs_every_part_and_its_sources():
    with pytest.raises(ValidationError, match="for_whom, with_what, reuse, sources"):
        PracticeSchema.model_validate({**CASE, "what": {"en": "What it did."}})
    with pytest.raises(ValidationError, match="no case details"):
        PracticeSchema.model_validate({**CASE, "no_public_description": True, "what": {"en": "What it did."}})


def test_the_practices_page_shows_the_case_and_chinese_taipei(client, db):
    call_command("load_content", stdout=io.StringIO())
    text = client.get("/practices/?q=topis").content.decode()
    assert "What another city can reuse" in text and "For whom" in text
    assert 'href="https://seoulsolution.kr/en/content/2595"' in text
    assert "Taipei, Chinese Taipei" in client.get("/practices/?q=taipei").content.decode()
    korean = client.get("/practices/?q=taipei", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "차이니스 타이베이" in korean and "Taiwan" not in korean
