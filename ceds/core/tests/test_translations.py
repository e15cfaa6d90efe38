"""Gettext catalogues: complete, not fuzzy, and used by the pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def _entries(path: Path):
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    for block in blocks:
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgid_plural")[0].split("msgstr")[0], re.M))
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"', block, re.M)
        yield block, msgid, msgstrs


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(path):
    problems = []
    for block, msgid, msgstrs in _entries(path):
        if "#, fuzzy" in block:
            problems.append(f"fuzzy: {msgid[:60]}")
        elif not any(msgstrs):
            problems.append(f"untranslated: {msgid[:60]}")
    assert not problems, problems[:20]


def test_pages_speak_korean(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ko")
    text = response.content.decode()
    assert 'lang="ko"' in text and "로그인" in text and "자가 진단" in text
