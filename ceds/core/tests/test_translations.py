"""Gettext catalogues: complete, not fuzzy, and used by the pages."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def _entries(path: Path):
    """(block, msgid, [msgstr, ...]) per entry, multi-line strings joined."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    for block in blocks:
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            start = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if start:
                current = start.group(1)
                fields[current] = start.group(2)
            elif current and line.startswith('"'):
                fields[current] += line[1:-1]
        msgstrs = [value for key, value in fields.items() if key.startswith("msgstr")]
        yield block, fields.get("msgid", ""), msgstrs


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(path):
    problems = []
    for block, msgid, msgstrs in _entries(path):
        if "#, fuzzy" in block:
            problems.append(f"fuzzy: {msgid[:60]}")
        elif not msgstrs or not all(msgstrs):
            problems.append(f"untranslated: {msgid[:60]}")
    assert not problems, problems[:20]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_translates_rather_than_copies(path):
    """Codes and names may stay as they are; more than 5 % copied means work left undone."""
    entries = [(msgid, msgstrs) for _block, msgid, msgstrs in _entries(path) if msgid]
    copied = [msgid for msgid, msgstrs in entries if msgstrs and msgstrs[0] == msgid]
    assert len(copied) <= 0.05 * len(entries), f"{len(copied)} of {len(entries)} equal the source: {copied[:20]}"


def test_every_marked_string_is_in_the_catalogues(tmp_path):
    """makemessages, run on a copy of the code, finds nothing the catalogues lack."""
    import shutil
    import subprocess
    import sys

    base = Path(settings.BASE_DIR)
    for name in ("ceds", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    languages = [arg for path in CATALOGUES for arg in ("-l", path.parts[-3])]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, "--no-location", "--no-wrap", "-v0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "CEDS_TESTING": "1"},
    )
    problems = []
    for path in sorted(tmp_path.glob("locale/*/LC_MESSAGES/django.po")):
        for block, msgid, msgstrs in _entries(path):
            if "#, fuzzy" in block or not all(msgstrs):
                problems.append(f"{path.parts[-3]}: {msgid[:60]}")
    assert not problems, problems[:20]


def test_every_interface_language_has_a_catalogue():
    from django.utils.translation import to_locale

    present = {p.parts[-3] for p in CATALOGUES}
    missing = [code for code, _name in settings.LANGUAGES if code != "en" and to_locale(code) not in present]
    assert not missing, missing


def test_pages_speak_korean(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ko")
    text = response.content.decode()
    assert 'lang="ko"' in text and "로그인" in text and "자가 진단" in text


def test_scores_follow_the_readers_number_format():
    from django.utils import translation

    from ceds.core.templatetags.ceds import score

    with translation.override("en"):
        assert score(73.94) == "73.9"
    with translation.override("fr"):
        assert score(73.94) == "73,9"
    with translation.override("ru"):
        assert score(73.94) == "73,9"
    assert score(None) == "–"


@pytest.mark.parametrize("language", ["en", "ko", "es", "ru", "zh-hans", "ar", "fr"])
def test_the_fast_score_format_matches_djangos_number_format(language):
    from django.utils import translation
    from django.utils.formats import number_format

    from ceds.core.templatetags.ceds import score

    with translation.override(language):
        for value in (0, 0.04, 0.05, 7.25, 49.95, 73.94, 99.99, 100, -3.26, 999.94, 1234.56):
            assert score(value) == number_format(float(f"{value:.1f}"), 1), value


@pytest.mark.parametrize(
    ("language", "sign_in"),
    [
        ("ko", "로그인"),
        ("es", "Iniciar sesión"),
        ("ru", "Войти"),
        ("zh-hans", "登录"),
        ("ar", "تسجيل الدخول"),
        ("fr", "Se connecter"),
    ],
)
def test_the_home_page_speaks_every_language(client, db, language, sign_in):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'lang="{language}"' in text and sign_in in text
