"""The fault test's client and conductor (deploy/prod-check.sh): load through HAProxy, faults on a timer.

Threads sign in as the accounts deploy/check/setup.py made and, through HAProxy over TLS:
- autosave answers of their own draft (the answers API the pages' autosave also reaches through
  services.save_answer), each thread owning its items, so every save has one expected outcome;
- read pages (dashboard, section, home, rankings);
- submit the drafts chosen for validation, which validators (signed in with TOTP) then validate.
Meanwhile the conductor kills app1 with SIGKILL and starts it again, reloads gunicorn gracefully, and
kills the Celery worker with SIGKILL while it is issuing a report (held at the report table by a
lock this script takes, so the kill is surely mid-task), then starts it again.

A request that fails (connection error, 502/503/504) is retried; a save whose answer was lost is
first read back, since it may have been stored. Every attempt is counted. What was answered 200 is
written to the results file for deploy/check/verify.py to find in the database.

    python deploy/check/load.py ACCOUNTS.json RESULTS.json
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("PROD_STATE", ROOT / "var" / "prod"))
BASE = f"https://{os.environ.get('PROD_BIND', '127.0.0.1')}:{os.environ.get('PROD_PORT', '8110')}"
CA = str(STATE / "tls.crt")
DURATION = float(os.environ.get("CHECK_DURATION", "45"))
DRAFTS = int(os.environ.get("CHECK_DRAFTS", "10"))  # drafts taking autosaves, two threads each
RETRYABLE = {502, 503, 504}
ATTEMPTS = 8


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = 0
        self.failed = 0  # attempts that failed and were retried (or gave up)
        self.unrecovered = 0  # requests that failed even after every retry
        self.by_kind: dict[str, int] = {}

    def add(self, failed: bool, kind: str = "") -> None:
        with self.lock:
            self.attempts += 1
            if failed:
                self.failed += 1
                self.by_kind[kind] = self.by_kind.get(kind, 0) + 1


COUNTERS = Counters()
STOP = threading.Event()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 6 digits, 30 s), as allauth's TOTP authenticator checks it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Client:
    """One signed-in person: a requests session whose calls are retried and counted."""

    def __init__(self, email: str, password: str):
        self.session = requests.Session()
        self.session.verify = CA
        self.email, self.password = email, password

    def request(self, method: str, path: str, retry: bool = True, **kwargs) -> requests.Response | None:
        """The response, retried on failure; None when it failed every time (counted as unrecovered)."""
        headers = {"Referer": BASE + "/", **kwargs.pop("headers", {})}
        token = self.session.cookies.get("csrftoken")
        if method != "GET" and token:
            headers["X-CSRFToken"] = token
        for attempt in range(ATTEMPTS if retry else 1):
            try:
                # verify per call: a session's own is overridden by REQUESTS_CA_BUNDLE from the environment.
                response = self.session.request(method, BASE + path, headers=headers, timeout=30, verify=CA, **kwargs)
            except requests.RequestException as error:
                COUNTERS.add(True, error.__class__.__name__)
            else:
                if response.status_code not in RETRYABLE:
                    COUNTERS.add(False)
                    return response
                COUNTERS.add(True, str(response.status_code))
            time.sleep(min(0.2 * 2**attempt, 2))
        if retry:  # a save is not retried here: its caller reads the answer back and goes on from there
            with COUNTERS.lock:
                COUNTERS.unrecovered += 1
        return None

    def form(self, path: str, data: dict) -> requests.Response | None:
        return self.request("POST", path, data={**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken")})

    def sign_in(self, totp_secret: str | None = None) -> None:
        self.request("GET", "/accounts/login/")
        response = self.form("/accounts/login/", {"login": self.email, "password": self.password})
        if totp_secret and response is not None and "/2fa/authenticate" in response.url:
            response = self.form("/accounts/2fa/authenticate/", {"code": totp(totp_secret)})
        check = self.request("GET", "/me/data/", allow_redirects=False)
        if check is None or check.status_code != 200:
            raise SystemExit(f"could not sign in as {self.email}")


class Autosaver(threading.Thread):
    """Saves answers to its own items of one draft until told to stop; remembers each save answered 200."""

    def __init__(self, client: Client, draft: int, items: list[str]):
        super().__init__(daemon=True)
        self.client, self.draft, self.items = client, draft, items
        self.acks: list[dict] = []
        self.versions: dict[str, int] = {}

    def current(self, code: str) -> tuple[int, dict | None] | None:
        response = self.client.request("GET", f"/api/v1/assessments/{self.draft}/answers/{code}/")
        if response is None:
            return None
        if response.status_code == 404:
            return 0, None
        body = response.json()
        return body["version"], body.get("value")

    def save(self, code: str) -> None:
        value = random.randint(1, 5)
        if code not in self.versions:
            found = self.current(code)
            if found is None:
                return
            self.versions[code] = found[0]
        url = f"/api/v1/assessments/{self.draft}/answers/{code}/"
        # Not retried blindly: a save whose answer was lost may have been stored; read it back first.
        response = self.client.request(
            "PUT", url, retry=False, json={"kind": "level", "base_version": self.versions[code], "value": value}
        )
        if response is not None and response.status_code == 200:
            self.versions[code] = response.json()["version"]
            self.acks.append(
                {"draft": self.draft, "item": code, "value": {"value": value}, "version": self.versions[code]}
            )
            return
        found = self.current(code)  # outcome unknown (lost answer) or a conflict: start from what is stored
        if found is not None:
            self.versions[code] = found[0]

    def run(self) -> None:
        while not STOP.is_set():
            # A person autosaving, not a flood: the load is bounded so that a slow health probe
            # on a saturated 2-core host does not take both servers out at once.
            time.sleep(random.uniform(0.1, 0.4))
            self.save(random.choice(self.items))
            if random.random() < 0.3:
                path = random.choice(
                    [f"/assessments/{self.draft}/sections/GM/", f"/assessments/{self.draft}/", "/", "/rankings/"]
                )
                self.client.request("GET", path)


def prod(*args: str) -> None:
    subprocess.run([str(ROOT / "deploy" / "prod.sh"), *args], check=True)


def healthy(url: str, seconds: float) -> bool:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.3)
    return False


def gunicorn_workers(name: str) -> set[int]:
    """The pids in the server's process group but its master's."""
    master = (STATE / f"{name}.pid").read_text().strip()
    out = subprocess.run(["pgrep", "-g", master], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()} - {int(master)}


def kill_app_server(events: list) -> None:
    log("SIGKILL app1 (its master and workers)")
    prod("kill", "app1", "KILL")
    events.append({"at": time.time(), "event": "app1 killed"})
    time.sleep(3)
    prod("start", "app1")
    up = healthy(f"http://127.0.0.1:{os.environ.get('PROD_APP1_PORT', '8111')}/healthz", 60)
    events.append({"at": time.time(), "event": "app1 restarted", "healthy": up})
    log(f"app1 started again (healthy: {up})")


def graceful_reload(events: list) -> dict:
    before = gunicorn_workers("app1") | gunicorn_workers("app2")
    failed_before = COUNTERS.failed
    log("graceful reload (HUP to the gunicorn masters)")
    prod("reload")
    until = time.monotonic() + 30  # new workers boot, old ones finish their requests and exit
    while time.monotonic() < until:
        time.sleep(1)
        after = gunicorn_workers("app1") | gunicorn_workers("app2")
        if not (before & after) and len(after) >= len(before):
            break
    result = {
        "workers_replaced": bool(before) and not (before & after),
        "failed_during": COUNTERS.failed - failed_before,
    }
    events.append({"at": time.time(), "event": "reload", **result})
    log(f"reload: workers replaced {result['workers_replaced']}, failed requests meanwhile {result['failed_during']}")
    return result


def waiting_on_reports(db) -> int:
    """Backends waiting for a lock on a report row: report tasks stopped mid-task."""
    return db.execute(
        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike %s",
        ["%reports_issuedreport%"],
    ).fetchone()[0]


def validate_all(accounts: dict, validators: list[Client], events: list) -> list[int]:
    """Submit and validate the chosen drafts; kill the worker while it issues their reports.

    The worker is stopped while the validations queue their tasks; the reports' rows (the
    "being prepared" placeholders the validations wrote) are then locked, and the worker started:
    each task locks its assessment, renders, and waits at the report row, mid-task. It is killed
    there with SIGKILL, the rows are released and the worker started again: the broker gives the
    unacknowledged tasks back after its visibility timeout, and they run to the end.
    """
    chosen = [d for d in accounts["drafts"] if d["validate"]]
    prod("stop", "worker")
    validated = []
    for n, d in enumerate(chosen):
        coordinator = Client(d["email"], d["password"])
        coordinator.sign_in()
        coordinator.form(f"/assessments/{d['draft']}/submit/", {})
        validators[n % len(validators)].form(f"/assessments/{d['draft']}/review/", {"action": "validate"})
        validated.append(d["draft"])
    log(f"{len(validated)} validations sent; their report tasks wait in the broker")
    lock = psycopg.connect(os.environ["DATABASE_URL"])
    held = lock.execute(
        "select count(*) from (select id from reports_issuedreport where assessment_id = any(%s) for update) r",
        [validated],
    ).fetchone()[0]
    prod("start", "worker")
    probe = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    until = time.monotonic() + 60
    while waiting_on_reports(probe) == 0 and time.monotonic() < until:
        time.sleep(0.2)
    mid_task = waiting_on_reports(probe)
    events.append({"at": time.time(), "event": "report tasks waiting mid-task", "count": mid_task, "rows": held})
    log(f"SIGKILL the worker while {mid_task} report task(s) are mid-task")
    prod("kill", "worker", "KILL")
    events.append({"at": time.time(), "event": "worker killed"})
    time.sleep(1)
    lock.rollback()
    lock.close()
    probe.close()
    prod("start", "worker")
    events.append({"at": time.time(), "event": "worker restarted"})
    log("report rows released, worker started again")
    return validated


def main(accounts_path: Path, results_path: Path) -> None:
    accounts = json.loads(accounts_path.read_text())
    started = time.time()
    validators = []
    for v in accounts["validators"]:
        client = Client(v["email"], v["password"])
        client.sign_in(totp_secret=v["totp_secret"])
        validators.append(client)
    log(f"{len(validators)} validators signed in with TOTP")
    savers = []
    codes = accounts["level_items"]
    for d in [d for d in accounts["drafts"] if not d["validate"]][:DRAFTS]:
        client = Client(d["email"], d["password"])
        client.sign_in()
        # Two threads per draft, each with its own half of the items: saves never collide.
        for half in (0, 1):
            savers.append(Autosaver(client if half == 0 else _second(client), d["draft"], codes[half::2]))
    log(f"{len(savers)} autosave threads on {len(savers) // 2} drafts")
    for saver in savers:
        saver.start()
    events: list[dict] = []
    t0 = time.monotonic()
    time.sleep(5)
    kill_app_server(events)
    reload = graceful_reload(events)
    validated = validate_all(accounts, validators, events)
    time.sleep(max(0.0, DURATION - (time.monotonic() - t0)))
    STOP.set()
    for saver in savers:
        saver.join(timeout=60)
    results = {
        "seconds": round(time.time() - started, 1),
        "attempts": COUNTERS.attempts,
        "failed": COUNTERS.failed,
        "failed_by_kind": COUNTERS.by_kind,
        "unrecovered": COUNTERS.unrecovered,
        "acks": [a for s in savers for a in s.acks],
        "validated": validated,
        "reload": reload,
        "events": events,
    }
    results_path.write_text(json.dumps(results, indent=1))
    log(f"{COUNTERS.attempts} requests, {len(results['acks'])} autosaves answered 200, {len(validated)} validations")


def _second(client: Client) -> Client:
    """The same person in a second tab: the same session cookie, its own connection."""
    other = Client(client.email, client.password)
    other.session.cookies.update(client.session.cookies)
    return other


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
