"""On SQLite, simultaneous autosaves queue for the write lock instead of failing.

SQLite has one writer at a time. A transaction that reads first and writes later (Django's
default, DEFERRED) cannot wait for the lock: it fails at once with "database is locked",
which a user saw as a server error. With ``transaction_mode = "IMMEDIATE"`` each save takes
the lock when it starts and waits (the busy timeout) for the one before; WAL lets readers go
on meanwhile. Exactly one save from the shared version wins; the rest conflict (the API answers 409).

The in-memory test database cannot show this (its locks are not SQLite's file locks), so the
committed test data is copied into a file database that the request threads open.
"""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from ceds.api.tokens import create_token
from ceds.assessments import services
from ceds.assessments.models import Answer

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")

REQUESTS = 16


@pytest.fixture
def file_database(world, transactional_db, tmp_path, monkeypatch):
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion, Item

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    draft = services.open_assessment(world["a_coordinator"], world.city_a, version, "2026")
    item = Item.objects.get(framework_version=version, code="GV-01")
    services.save_answer(world["a_coordinator"], draft, item, {"value": 1}, 0)
    # Two people's sessions (two browser tabs each, in effect), made before the copy.
    sessions = []
    for user in (world["a_coordinator"], world["a_coordinator"]):
        client = Client()
        client.force_login(user, backend="ceds.accounts.backends.CedsAuthenticationBackend")
        sessions.append(client.cookies)
    _token, secret = create_token(world["a_coordinator"], "script")
    path = tmp_path / "ceds.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    # Threads open their own connections from these settings: the file, with our OPTIONS.
    monkeypatch.setitem(connections.settings, "default", {**connections.settings["default"], "NAME": str(path)})
    return draft, item, sessions, secret


def test_simultaneous_autosaves_queue_and_conflict_instead_of_failing(file_database):
    draft, item, sessions, secret = file_database
    url = f"/assessments/{draft.pk}/items/{item.code}/"
    api_url = f"/api/v1/assessments/{draft.pk}/answers/{item.code}/"
    barrier = threading.Barrier(REQUESTS)
    statuses: list = [None] * REQUESTS
    journal: list = []

    def autosave(index):
        """Half the saves are the page's autosave (two sessions), half a script through the API."""
        value = 2 + index % 3
        try:
            if index % 2:
                client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")
                barrier.wait()
                body = {"kind": "level", "base_version": 1, "value": value}
                response = client.put(api_url, body, content_type="application/json")
                statuses[index] = response.status_code
            else:
                client = Client(raise_request_exception=False, HTTP_HX_REQUEST="true")
                client.cookies = sessions[index // 2 % 2]
                barrier.wait()
                response = client.post(url, {"choice": str(value), "base_version": "1"})
                # A conflict is a 409 whose fragment shows both answers (htmx-config.js swaps it in).
                conflict = b'class="conflict"' in response.content
                statuses[index] = "conflict" if response.status_code == 409 and conflict else response.status_code
            if index == 0:
                with connections["default"].cursor() as cursor:
                    journal.append(cursor.execute("PRAGMA journal_mode").fetchone()[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=autosave, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert 500 not in statuses, statuses
    assert statuses.count(200) == 1, statuses
    web, api = statuses[0::2], statuses[1::2]
    assert set(web) <= {200, "conflict"} and set(api) <= {200, 409}, statuses
    assert journal == ["wal"]

    def stored():
        answer = Answer.objects.get(assessment=draft, item=item)
        return answer.version, answer.value

    worker = threading.Thread(target=lambda: (journal.append(stored()), connections.close_all()))
    worker.start()
    worker.join()
    version, value = journal[-1]
    assert version == 2 and value["value"] in (2, 3, 4)
