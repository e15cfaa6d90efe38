"""Malformed input of every kind ends in a clear error naming where, never in a crash.

Hypothesis writes the input: workbooks with cells changed to anything a spreadsheet can
hold, byte soup instead of a workbook, framework files with values of the wrong type or
missing keys, answer payloads of any JSON shape sent to the API, and Office or OpenDocument
zips with hostile members (programs, macros, markup, active content types, climbing names)
or damaged bytes.
"""

import io
import shutil
import zipfile

import pytest
import yaml
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from ceds.assessments import workbook
from ceds.assessments.models import Answer
from ceds.content.reader import read_content
from ceds.content.tests.helpers import FIXTURE
from ceds.core.tests import zips

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=400),
    st.sampled_from(["=1/0", "=SUM(A1:A9)", "3 – Transaction", "n/a", "don't know", "0", "-1", "99"]),
)


@pytest.fixture
def draft(api_world):
    return api_world, api_world.extra["draft"]


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12), CELL), min_size=1, max_size=12))
def test_any_edited_workbook_previews_or_names_the_problem(draft, edits):
    world, assessment = draft
    book = load_workbook(io.BytesIO(workbook.build(assessment)))
    sheets = [s for s in book.worksheets if s.title not in ("Instructions", "Lists")]
    for row, column, value in edits:
        sheet = sheets[row % len(sheets)]
        try:
            sheet.cell(row=2 + row % max(sheet.max_row, 1), column=column, value=value)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses these itself
            continue
    data = io.BytesIO()
    try:
        book.save(data)
    except (AttributeError, TypeError, ValueError):  # openpyxl cannot write some edits: nothing to test
        reject()
    data.seek(0)
    try:
        changes = workbook.preview(world["a_coordinator"], assessment, data)
    except workbook.WorkbookError as error:
        assert str(error) and ("row" in str(error) or "Sheet" in str(error) or "workbook" in str(error))
    else:
        assert isinstance(changes, list)
    assert not Answer.objects.filter(assessment=assessment).exists(), "a preview never writes"


@FUZZ
@given(data=st.binary(max_size=4000))
def test_byte_soup_is_not_a_workbook(draft, data):
    world, assessment = draft
    with pytest.raises(workbook.WorkbookError):
        workbook.preview(world["a_coordinator"], assessment, io.BytesIO(b"PK\x03\x04" + data))


VALUES = st.one_of(st.none(), st.integers(), st.text(max_size=30), st.lists(st.integers(), max_size=3), st.booleans())


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


@FUZZ
@given(
    choice=st.integers(0, 10**6), value=VALUES, delete=st.booleans(), which=st.sampled_from(["framework", "section"])
)
def test_a_damaged_framework_file_is_reported_with_its_file(tmp_path_factory, choice, value, delete, which):
    root = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(FIXTURE, root)
    version = root / "frameworks" / "kinds" / "1"
    path = version / "framework.yaml" if which == "framework" else version / "sections" / "GV.yaml"
    data = yaml.safe_load(path.read_text())
    paths = list(_paths(data))
    target = paths[choice % len(paths)]
    parent = data
    for key in target[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[target[-1]]
    else:
        parent[target[-1]] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    bundle = read_content(root)  # must not raise
    for problem in bundle.problems:
        assert str(problem).strip(), "every problem says something"


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(["base_version", "value", "choice", "status", "level", "utilization", "systems", "other"]),
        st.recursive(
            VALUES,
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
            max_leaves=5,
        ),
        max_size=6,
    ),
    code=st.sampled_from(["GV-01", "GV-02", "GV-03", "GV-04", "GV-05", "SV-001"]),
)
def test_random_answer_payloads_get_a_clear_answer(api_world, api, body, code):
    draft = api_world.extra["draft"]
    response = api("a_coordinator").put(
        f"/api/v1/assessments/{draft.pk}/answers/{code}/", body, content_type="application/json"
    )
    assert response.status_code in (200, 204, 400, 409), response.content
    if response.status_code == 400:
        problem = response.json()
        assert problem["errors"] and all(e["message"] for e in problem["errors"])


# -- zip structure: Office and OpenDocument files with hostile members -------------------------


def _small_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "figures"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BASES = {"docx": zips.docx(), "odt": zips.odt(), "xlsx": _small_xlsx()}
FOLDERS = st.sampled_from(["word", "word/media", "xl", "xl/media", "docProps", "Pictures", "customXml", "zz"])
STEM = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
PAYLOAD = st.binary(max_size=300)
EXECUTABLE = st.tuples(
    st.sampled_from([b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!"]), PAYLOAD
).map(b"".join)
DOCUMENT_EXTENSION = st.sampled_from(["xml", "png", "jpeg", "emf", "rels", "vml", ""])


def _name(folder: str, stem: str, extension: str) -> str:
    return f"{folder}/h-{stem}" + (f".{extension}" if extension else "")


HOSTILE = st.one_of(
    # a program under a name a document may hold
    st.builds(lambda f, s, e, data: (_name(f, s, e), data, None), FOLDERS, STEM, DOCUMENT_EXTENSION, EXECUTABLE),
    # a member of a kind a document never holds
    st.builds(
        lambda f, s, e, data: (_name(f, s, e), data, None),
        FOLDERS,
        STEM,
        st.sampled_from(["exe", "dll", "js", "html", "htm", "svg", "bat", "cmd", "ps1", "vbs", "sh", "jar", "xlsm"]),
        PAYLOAD,
    ),
    # macros
    st.builds(
        lambda name, data: (name, data, None),
        st.sampled_from(["word/vbaProject.bin", "xl/vbaProject.bin", "Basic/Standard/Module1.xml", "Scripts/run.py"]),
        PAYLOAD,
    ),
    # markup or entity declarations inside an XML part
    st.builds(
        lambda f, s, data: (_name(f, s, "xml"), data, None),
        FOLDERS,
        STEM,
        st.sampled_from(
            [
                b"<html><body><script>alert(1)</script>",
                b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",
                b"  <!doctype html><p>",
                b"<svg onload='alert(1)'/>",
            ]
        ),
    ),
    # an innocent name declared as something active (OOXML content types)
    st.builds(
        lambda f, s, declared: (_name(f, s, "xml"), b"<x/>", declared),
        FOLDERS,
        STEM,
        st.sampled_from(
            [
                "application/vnd.ms-office.vbaProject",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                "application/vnd.ms-office.activeX+xml",
                "application/vnd.openxmlformats-officedocument.oleObject",
                "text/html",
                "image/svg+xml",
                "application/javascript",
                "application/x-msdownload",
            ]
        ),
    ),
    # names that climb out or are absolute
    st.builds(lambda s: (f"../{s}.xml", b"<x/>", None), STEM),
    st.builds(lambda s: (f"/{s}.xml", b"<x/>", None), STEM),
)


@FUZZ
@given(
    base=st.sampled_from(sorted(BASES)),
    hostile=st.lists(HOSTILE, min_size=1, max_size=3, unique_by=lambda h: h[0]),
    stored=st.booleans(),
)
def test_a_document_with_any_hostile_member_is_refused(base, hostile, stored):
    from ceds.assessments.uploads import UploadRefused, check_upload

    declared = tuple((name, t) for name, _data, t in hostile if t) if base != "odt" else ()
    if base == "odt" and any(t for *_rest, t in hostile):
        reject()
    data = zips.with_members(BASES[base], {}, declared) if base != "odt" else BASES[base]
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update({name: payload for name, payload, _t in hostile})
    upload = io.BytesIO(zips.build(members, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED))
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload, 10**8)
    assert str(refused.value).strip()


@FUZZ
@given(
    base=st.sampled_from(sorted(BASES)),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_a_damaged_zip_is_accepted_or_refused_never_a_crash(base, flips):
    from ceds.assessments.uploads import UploadRefused, check_upload

    data = bytearray(BASES[base])
    for position, value in flips:
        data[position % len(data)] = value
    try:
        kind = check_upload(io.BytesIO(bytes(data)), 10**8)
    except UploadRefused as refused:
        assert str(refused).strip()
    else:
        assert kind.content_type


@FUZZ
@given(hostile=st.lists(HOSTILE, min_size=1, max_size=2, unique_by=lambda h: h[0]))
def test_a_workbook_with_hostile_members_is_refused_before_it_is_read(draft, hostile):
    world, assessment = draft
    exported = workbook.build(assessment)
    declared = tuple((name, t) for name, _data, t in hostile if t)
    upload = io.BytesIO(zips.with_members(exported, {name: payload for name, payload, _t in hostile}, declared))
    with pytest.raises(workbook.WorkbookError):
        workbook.preview(world["a_coordinator"], assessment, upload)
    assert not Answer.objects.filter(assessment=assessment).exists()
