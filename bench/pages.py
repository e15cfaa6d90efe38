"""Server-side time and query count of the main pages, in process, through Django's full stack.

Each page is requested once per sampled city (a different city each time, signed in as its
coordinator), with the cache cleared before every request; pages are interleaved round by
round so that drift on the machine touches them all alike. The figure kept is the median,
and the ratio to the trivial page measured in the same rounds.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

LATEST = "2025"
DRAFT = "2026"  # a new cycle: at most the current year (assessments.services)


@dataclass
class Sample:
    client: object
    latest: int
    draft: int
    item: str
    version: int = 1
    validator: object = None  # a secretariat analyst's client: the queue of every city


@dataclass
class PageResult:
    page: str
    median_ms: float
    queries: int


def samples(count: int, seed: int) -> list[Sample]:
    """`count` cities drawn at random, each signed in as its coordinator, with a 2026 draft to autosave into."""
    from django.test import Client

    from ceds.accounts.models import CityRole
    from ceds.assessments import services
    from ceds.assessments.models import Answer, Assessment
    from ceds.frameworks.models import FrameworkVersion
    from ceds.reports.issue import issue

    version = FrameworkVersion.objects.filter(framework_id="ceds").order_by("-version").first()
    roles = list(
        CityRole.objects.filter(role="coordinator", city__membership__kind__in=["member", "friendship_member"])
        .select_related("user", "city")
        .order_by("city_id")
    )
    chosen = random.Random(seed).sample(roles, count)
    validator = _validator_client()
    out = []
    for role in chosen:
        latest = Assessment.objects.get(city=role.city, framework_version=version, period=LATEST)
        draft = Assessment.objects.filter(city=role.city, framework_version=version, period=DRAFT).first()
        if draft is None:
            draft = services.open_assessment(role.user, role.city, version, DRAFT, carry_forward=True)
        # Validation issues each city's report, working out its default roadmap on the way
        # (assessments.services.validate); the generator writes snapshots directly, so it is done
        # here for the cities measured, after their draft is opened (which a report would follow).
        issue(latest)
        answer = Answer.objects.filter(assessment=draft, item__kind="level").select_related("item").order_by("pk")[0]
        client = Client()
        client.force_login(role.user)
        # Each test client builds its own handler (middleware, WhiteNoise's file index) on its
        # first request: a cost a running server pays once at start, so it is paid here untimed.
        client.get("/bench/trivial/")
        out.append(Sample(client, latest.pk, draft.pk, answer.item.code, answer.version, validator))
    return out


def _validator_client():
    """A secretariat analyst signed in (the validators' home reads the queue across all cities)."""
    from django.test import Client

    from ceds.accounts.models import User

    analyst, _created = User.objects.get_or_create(
        email="bench.analyst@example.org", defaults={"secretariat_role": User.SecretariatRole.ANALYST}
    )
    client = Client()
    client.force_login(analyst)
    client.get("/bench/trivial/")
    return client


@dataclass(frozen=True)
class Page:
    name: str
    url: str  # {latest} is the sampled city's 2025 assessment
    expected: bytes  # shown only when the page's data is there, so that no budget is met by an empty page


# The pages read, in table order: a page appended here is timed, its queries counted and both
# held to the budgets (bench/run.py), requested by the sampled city's signed-in coordinator.
GET_PAGES = [
    Page("trivial", "/bench/trivial/", b"<p>"),
    Page("dashboard", "/assessments/{latest}/dashboard/", b'id="radar-title"'),
    Page("benchmark", "/assessments/{latest}/benchmark/", b'class="ranking"'),
    Page("map", "/map/", b'href="/public/cities/bench-'),
    # Sorts and counts across every city's published results.
    Page("rankings", "/rankings/", b'href="/public/cities/bench-'),
    Page("history", "/assessments/{latest}/history/", b'id="history-dims-title"'),
    Page("report", "/assessments/{latest}/report/", b"Expected overall score:"),
    Page("api list", "/api/v1/assessments/", b'"period":"2026"'),
    # The coordinator's open 2026 draft and what blocks its submission.
    Page("home coordinator", "/", b"What blocks submission"),
]
GET_URLS = {page.name: page.url for page in GET_PAGES}
# And one write, an answer autosaved into the city's 2026 draft; and the validators' queue, read
# by a secretariat analyst (request() below).
EXPECTED = {page.name: page.expected for page in GET_PAGES} | {
    "autosave": b"base_version",
    "home validator": b'id="queue-h"',
}
PAGES = [*GET_URLS, "autosave", "home validator"]


def request(page: str, sample: Sample, round_: int):
    """One request of `page` for `sample`'s city; returns the response."""
    if page == "home validator":
        return sample.validator.get("/")
    if page != "autosave":
        return sample.client.get(GET_URLS[page].format(latest=sample.latest))
    response = sample.client.post(
        f"/assessments/{sample.draft}/items/{sample.item}/",
        {"value": str(1 + (sample.version + round_) % 5), "base_version": str(sample.version)},
        headers={"HX-Request": "true"},
    )
    sample.version += 1
    return response


def _checked(page: str, response) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{page}: HTTP {response.status_code}\n{response.content[:500]!r}")
    if EXPECTED[page] not in response.content:
        raise SystemExit(f"{page}: the response lacks {EXPECTED[page]!r}; is the data there?")


def query_counts(sample_list: list[Sample]) -> dict[str, int]:
    """The largest number of queries each page ran over the given cities."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, int] = {}
    # A process loads some static content on first use (framework definitions): not counted.
    for page in PAGES:
        _checked(page, request(page, sample_list[0], 0))
    for index, sample in enumerate(sample_list):
        for page in PAGES:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                _checked(page, request(page, sample, index))
            counts[page] = max(counts.get(page, 0), len(captured))
    return counts


def timings(sample_list: list[Sample], warmup: int = 2, names: list[str] = PAGES) -> dict[str, float]:
    """Median milliseconds per page, a different city on each request, cold cache."""
    from django.core.cache import cache

    for index, sample in enumerate(sample_list[:warmup]):
        for page in names:
            _checked(page, request(page, sample, index))
    elapsed: dict[str, list[float]] = {page: [] for page in names}
    for index, sample in enumerate(sample_list[warmup:]):
        for page in names:
            cache.clear()
            start = time.perf_counter()
            response = request(page, sample, index)
            elapsed[page].append((time.perf_counter() - start) * 1000)
            _checked(page, response)
    return {page: statistics.median(values) for page, values in elapsed.items()}


def measure(sample_count: int, seed: int) -> list[PageResult]:
    sample_list = samples(sample_count, seed)
    counts = query_counts(sample_list[:3])
    medians = timings(sample_list)
    return [PageResult(page, medians[page], counts[page]) for page in PAGES]
