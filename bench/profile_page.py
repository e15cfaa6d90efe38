"""Where one page's time goes, on the database `make bench` left behind.

    .venv/bin/python bench/profile_page.py report [dashboard …]

For each page named (see bench/pages.py: GET_URLS and "autosave"), requests it for ten
cities, as the benchmark does, under cProfile, and prints: the median time, the time spent in
the database (round trips, measured around each query), the queries, and the functions that
took longest. Uses the database in BENCH_DATABASE_URL without changing its data beyond what
the benchmark itself writes (drafts to autosave into).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import ENVIRONMENT  # noqa: E402

CITIES = 10


def main(names: list[str]) -> None:
    os.environ.update(ENVIRONMENT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ceds.settings"
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import override_settings

    from bench import pages

    with override_settings(ROOT_URLCONF="bench.urls"):
        sample_list = pages.samples(CITIES, seed=7)
        for page in ["trivial", *names]:
            pages.request(page, sample_list[0], 0)  # warm-up: a process parses definitions once
        for page in ["trivial", *names]:
            database: list[tuple[float, str]] = []

            def timed(execute, sql, params, many, context, sink=database):
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    sink.append(((time.perf_counter() - start) * 1000, sql))

            elapsed = []
            profile = cProfile.Profile()
            with connection.execute_wrapper(timed):
                for index, sample in enumerate(sample_list):
                    cache.clear()
                    start = time.perf_counter()
                    profile.enable()
                    pages.request(page, sample, index)
                    profile.disable()
                    elapsed.append((time.perf_counter() - start) * 1000)
            per_request = len(database) / len(sample_list)
            print(f"\n=== {page}: median {statistics.median(elapsed):.1f} ms (profiled)")
            print(
                f"database: {sum(ms for ms, _ in database) / len(sample_list):.1f} ms per request, "
                f"{per_request:.0f} queries"
            )
            for ms, sql in database[: round(per_request)]:
                print(f"  {ms:6.2f} ms  {sql[:150]}")
            if page == "trivial":
                continue
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1:] or ["dashboard"])
