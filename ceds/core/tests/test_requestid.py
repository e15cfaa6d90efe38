import json
import logging

from ceds.core import requestid
from ceds.core.jsonlog import JsonFormatter


def test_a_well_formed_id_is_kept_and_anything_else_replaced():
    assert requestid.accept("7F000001BE061FAE6B117E02002E209D") == "7F000001BE061FAE6B117E02002E209D"
    forged = requestid.accept('x"}\n{"level": "ERROR"')
    assert len(forged) == 32 and forged.isalnum()
    assert requestid.accept(None) != requestid.accept(None)


def test_the_response_echoes_the_id_and_every_log_line_of_the_request_carries_it(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="ceds.request"):
        response = client.get("/healthz", headers={"X-Request-ID": "check-1234-abcd"})
    assert response["X-Request-ID"] == "check-1234-abcd"
    line = next(r for r in caplog.records if r.name == "ceds.request")
    assert line.status == 200 and line.path == "/healthz"
    requestid.RequestIdFilter().filter(line)
    assert line.request_id == "check-1234-abcd"


def test_json_lines_hold_the_message_and_the_extra_fields():
    record = logging.LogRecord("ceds.request", logging.INFO, "", 0, "GET %s", ("/x",), None)
    record.status, record.request_id = 200, "abc12345"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /x" and entry["status"] == 200 and entry["request_id"] == "abc12345"
    assert entry["level"] == "INFO" and entry["ts"].endswith("+00:00")


def test_task_publish_carries_the_id_and_the_worker_takes_it_up():
    token = requestid._current.set("req-0000-1111")
    headers: dict = {}
    requestid._add_header(headers=headers)
    requestid._current.reset(token)
    assert headers == {"X-Request-ID": "req-0000-1111"}

    class Request:
        is_eager = False

    class Task:
        request = Request()

    setattr(Task.request, "X-Request-ID", "req-0000-1111")
    requestid._take_up(task=Task())
    assert requestid.current() == "req-0000-1111"
    requestid._drop(task=Task())
    assert requestid.current() == ""
