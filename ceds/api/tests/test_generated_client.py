"""The contract, as an integrator meets it: a client that openapi-python-client generates from
the live schema (with the committed config, nothing edited by hand) runs the whole cycle of
docs/api.md with raise_on_unexpected_status=True, so any status, media type or body the
schema does not describe fails the test."""

import contextlib
import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

CONFIG = Path(__file__).resolve().parents[1] / "openapi-python-client.yaml"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def generated(client, tmp_path):
    """The generated package `ceds_client`, imported from a temporary directory."""
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    command = [str(GENERATOR), "generate", "--path", "schema.json", "--config", str(CONFIG)]
    command += ["--meta", "none", "--output-path", "ceds_client"]
    run = subprocess.run(
        command,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # Every operation made it into the client: the generator drops what it cannot type.
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("ceds_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "ceds_client" or m.startswith("ceds_client.")]:
            del sys.modules[name]


def _module(package, name):
    return importlib.import_module(f"ceds_client.{name}")


@pytest.fixture
def connect(generated, api_world, live_server):
    """connect(persona) -> a generated client with that persona's token (closed after the test)."""
    with contextlib.ExitStack() as stack:

        def make(persona):
            client = generated.AuthenticatedClient(
                base_url=live_server.url, token=api_world.extra["tokens"][persona], raise_on_unexpected_status=True
            )
            return stack.enter_context(client)

        yield make


def test_a_generated_client_runs_the_documented_cycle(generated, connect):
    api = lambda name: _module(generated, f"api.{name}")  # noqa: E731
    m = _module(generated, "models")
    coordinator, regional = connect("a_coordinator"), connect("regional")

    # Open; a second cycle for the same period is a 409 with its code.
    created = api("assessments.assessments_create").sync(
        client=coordinator, body=m.AssessmentCreateRequest(city="seoul", framework="kinds", period="2023")
    )
    assert isinstance(created, m.Assessment) and created.status == m.AssessmentStatusEnum.DRAFT
    twice = api("assessments.assessments_create").sync_detailed(
        client=coordinator, body=m.AssessmentCreateRequest(city="seoul", framework="kinds", period="2023")
    )
    assert twice.status_code == 409 and twice.parsed.code == "duplicate_period"
    pk = created.id

    # Submitting before every item is answered: 409 incomplete.
    early = api("workflow.assessments_submit_create").sync_detailed(pk, client=coordinator)
    assert early.status_code == 409 and early.parsed.code == "incomplete"

    # Answer every item kind.
    save = api("answers.assessments_answers_update")
    bodies = {
        "GV-01": m.LevelAnswerWriteRequest(
            kind=m.LevelKindEnum.LEVEL, base_version=0, choice=m.LevelChoiceEnum.DONT_KNOW
        ),
        "GV-02": m.ScaleAnswerWriteRequest(kind=m.ScaleKindEnum.SCALE, base_version=0, value=3),
        "GV-03": m.BinaryAnswerWriteRequest(kind=m.BinaryKindEnum.BINARY, base_version=0, value=True),
        "GV-04": m.NumberAnswerWriteRequest(kind=m.NumberKindEnum.NUMBER, base_version=0, value=40.5),
        "GV-05": m.TextAnswerWriteRequest(kind=m.TextKindEnum.TEXT, base_version=0, value="Broadband first."),
        "SV-001": m.ServiceAnswerWriteRequest(
            kind=m.ServiceKindEnum.SERVICE,
            base_version=0,
            status=m.ServiceStatusEnum.OPERATING,
            level=3,
            utilization=40,
            systems="ipMail",
        ),
        "SV-002": m.ServiceAnswerWriteRequest(
            kind=m.ServiceKindEnum.SERVICE, base_version=0, choice=m.NaOrClearEnum.NA
        ),
    }
    types = {
        "GV-01": m.LevelAnswer,
        "GV-02": m.ScaleAnswer,
        "GV-03": m.BinaryAnswer,
        "GV-04": m.NumberAnswer,
        "GV-05": m.TextAnswer,
        "SV-001": m.ServiceAnswer,
        "SV-002": m.ServiceAnswer,
    }
    for code, body in bodies.items():
        saved = save.sync(pk, code, client=coordinator, body=body)
        assert isinstance(saved, types[code]) and saved.version == 1, (code, saved)
    # Level 2 instead of "don't know", from the version read.
    read = api("answers.assessments_answers_retrieve").sync(pk, "GV-01", client=coordinator)
    assert isinstance(read, m.LevelAnswer) and read.choice == m.NaOrDontKnowEnum.DONT_KNOW and read.value is None
    changed = save.sync(
        pk,
        "GV-01",
        client=coordinator,
        body=m.LevelAnswerWriteRequest(kind=m.LevelKindEnum.LEVEL, base_version=read.version, value=2),
    )
    assert changed.value == 2 and changed.version == 2
    # A stale write: 409 with the current answer, typed.
    stale = save.sync_detailed(
        pk,
        "GV-01",
        client=coordinator,
        body=m.LevelAnswerWriteRequest(kind=m.LevelKindEnum.LEVEL, base_version=1, value=5),
    )
    assert stale.status_code == 409 and stale.parsed.code == "conflict"
    assert stale.parsed.current.value == 2
    # An invalid write: 400 naming the field; a wrong kind: 400 naming kind.
    invalid = save.sync_detailed(
        pk,
        "GV-02",
        client=coordinator,
        body=m.ScaleAnswerWriteRequest(kind=m.ScaleKindEnum.SCALE, base_version=1, value=9),
    )
    assert invalid.status_code == 400 and invalid.parsed.errors[0].field == "value"
    wrong_kind = save.sync_detailed(
        pk,
        "GV-02",
        client=coordinator,
        body=m.LevelAnswerWriteRequest(kind=m.LevelKindEnum.LEVEL, base_version=1, value=2),
    )
    assert wrong_kind.status_code == 400 and wrong_kind.parsed.errors[0].field == "kind"
    # Clear and answer again (204 has no body).
    cleared = save.sync_detailed(
        pk,
        "GV-05",
        client=coordinator,
        body=m.TextAnswerWriteRequest(kind=m.TextKindEnum.TEXT, base_version=1, choice=m.ClearEnum.CLEAR),
    )
    assert cleared.status_code == 204
    listed = api("answers.assessments_answers_list").sync(pk, client=coordinator, page_size=500)
    assert {a.item for a in listed.results} == set(bodies) - {"GV-05"}

    scores = api("results.assessments_scores_retrieve").sync(pk, client=coordinator)
    assert scores.provisional is True and scores.overall_score is not None

    # Submit, validate; the validator cannot publish, the coordinator can.
    assert (
        api("workflow.assessments_submit_create").sync(pk, client=coordinator).status
        == m.AssessmentStatusEnum.SUBMITTED
    )
    validated = api("workflow.assessments_validate_create").sync(pk, client=regional)
    assert validated.status == m.AssessmentStatusEnum.VALIDATED
    again = api("workflow.assessments_validate_create").sync_detailed(pk, client=regional)
    assert again.status_code == 409 and again.parsed.code == "invalid_transition"
    peers = api("results.assessments_benchmarks_retrieve").sync(pk, client=coordinator)
    assert peers and all(isinstance(p, m.PeerFigure) for p in peers)
    published = api("workflow.assessments_publish_create").sync(
        pk, client=coordinator, body=m.PublishRequest(sharing=m.SharingEnum.NAMED)
    )
    assert published.status == m.AssessmentStatusEnum.PUBLISHED and published.links.open_data

    # The report: a PDF, as bytes.
    report = api("results.assessments_report").sync(pk, client=coordinator)
    assert report.payload.read().startswith(b"%PDF")

    # Open data, every format, from the links the index gives.
    index = api("open_data.open_data_retrieve").sync(client=coordinator)
    dataset = next(d for d in index.datasets if d.framework == "kinds" and d.period == "2023")
    assert dataset.links.csv.endswith("2023.csv") and dataset.cities == 1
    text = api("open_data.open_data_csv").sync("kinds", "2023", client=coordinator)
    assert "seoul" in text
    document = api("open_data.open_data_json").sync("kinds", "2023", client=coordinator)
    assert isinstance(document, m.OpenDataDocument) and document.rows[0]["city"] == "seoul"
    book = api("open_data.open_data_xlsx").sync("kinds", "2023", client=coordinator)
    assert load_workbook(io.BytesIO(book.payload.read()))["data"]["A2"].value == "seoul"
    dictionary = api("open_data.open_data_dictionary_retrieve").sync("kinds", client=coordinator)
    assert {c.name for c in dictionary.columns} >= {"city", "overall_score"}
    # A missing object: the documented 404 problem document.
    missing = api("assessments.assessments_retrieve").sync_detailed(999999, client=coordinator)
    assert missing.status_code == 404 and json.loads(missing.content)["code"] == "not_found"
