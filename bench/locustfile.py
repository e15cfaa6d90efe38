"""Load test: city coordinators answering their draft and reading dashboards at once.

Run by `make bench` against gunicorn + PostgreSQL (bench/load.sh): 50 users, 60 seconds.
Each simulated user signs in as the coordinator of one demo city (several users may share a
city; each then answers its own quarter of the items, so no save is a conflict by design).
"""

import itertools
import json
import random
import threading
from pathlib import Path

from locust import HttpUser, between, task

SETUP = json.loads((Path(__file__).parent / ".load-users.json").read_text())
_counter = itertools.count()
_lock = threading.Lock()


class Coordinator(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        with _lock:
            self.number = next(_counter)
        people = SETUP["users"]
        self.account = people[self.number % len(people)]
        # Up to four users share a city; each answers every fourth item, so saves never collide.
        slot = self.number // len(people)
        self.items = [c for i, c in enumerate(SETUP["level_items"]) if i % 4 == slot % 4]
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken")
        response = self.client.post(
            "/accounts/login/",
            {"login": self.account["email"], "password": self.account["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
        )
        response.raise_for_status()
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
            json={"base_version": version, "value": random.randint(1, 5)},
            headers={"X-CSRFToken": self.csrf, "Referer": self.host + "/"},
            name="answer (save)",
        )
