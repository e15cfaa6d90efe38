"""Load test: city coordinators answering their draft and reading dashboards at once.

Run by `make load` through HAProxy in front of the production topology (bench/load.sh): 50, then 200 users.
Each simulated user signs in as the coordinator of one demo city (several users may share a
city; each then answers its own quarter of the items, so no save is a conflict by design).
"""

import itertools
import json
import os
import random
import threading
from pathlib import Path

from locust import HttpUser, between, task

SETUP = json.loads((Path(__file__).parent / ".load-users.json").read_text())
_counter = itertools.count()
_lock = threading.Lock()
# Users of the same account share its session (tabs of one person): sign-ins are rate limited per
# address, and every simulated user comes from this machine's.
_sessions: dict[str, dict] = {}


class Coordinator(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        # The topology's self-signed certificate (bench/load.sh); a plain http host ignores it.
        self.client.verify = os.environ.get("CEDS_LOAD_CA") or True
        with _lock:
            self.number = next(_counter)
        people = SETUP["users"]
        self.account = people[self.number % len(people)]
        # Several users share a city (200 users, 30 cities: up to 7); each answers its own slice of
        # the items, so saves never collide by design.
        users = getattr(self.environment.parsed_options, "num_users", None) or len(people)
        slices = max(4, -(-users // len(people)))
        slot = self.number // len(people)
        self.items = [c for i, c in enumerate(SETUP["level_items"]) if i % slices == slot % slices]
        with _lock:
            known = _sessions.get(self.account["email"])
            if known is None:
                self.client.get("/accounts/login/", name="login page")
                token = self.client.cookies.get("csrftoken")
                response = self.client.post(
                    "/accounts/login/",
                    {
                        "login": self.account["email"],
                        "password": self.account["password"],
                        "csrfmiddlewaretoken": token,
                    },
                    headers={"Referer": self.host + "/accounts/login/"},
                    name="sign in",
                )
                response.raise_for_status()
                known = _sessions[self.account["email"]] = self.client.cookies.get_dict()
        self.client.cookies.update(known)
        self.csrf = self.client.cookies.get("csrftoken")

    @task(3)
    def dashboard(self):
        self.client.get(f"/assessments/{self.account['validated']}/dashboard/", name="dashboard")

    @task(1)
    def benchmark(self):
        self.client.get(f"/assessments/{self.account['validated']}/benchmark/", name="benchmark")

    @task(1)
    def section(self):
        self.client.get(f"/assessments/{self.account['draft']}/sections/GM/", name="assessment section")

    @task(3)
    def answer(self):
        code = random.choice(self.items)
        url = f"/api/v1/assessments/{self.account['draft']}/answers/{code}/"
        current = self.client.get(url, name="answer (read)")
        version = current.json()["version"] if current.status_code == 200 else 0
        self.client.put(
            url,
            json={"kind": "level", "base_version": version, "value": random.randint(1, 5)},
            headers={"X-CSRFToken": self.csrf, "Referer": self.host + "/"},
            name="answer (save)",
        )
