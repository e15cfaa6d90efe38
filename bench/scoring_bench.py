"""Scoring engine throughput: complete CeDS assessments (90 questions + 110 services) per second.

Runs on one core in one process: the engine is compiled once, then scores N answer sets
generated up front (so generation is not timed). Usage: python bench/scoring_bench.py [N]
"""

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ceds.frameworks.content import read_content  # noqa: E402
from ceds.scoring.engine import Engine  # noqa: E402

STATUSES = ["absent", "planned", "developing", "operating"]


def random_answers(definition: dict, rnd: random.Random) -> dict:
    answers = {}
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                for item in section["items"]:
                    if item["kind"] == "level":
                        answers[item["id"]] = {"value": rnd.randint(1, 5)} if rnd.random() > 0.05 else {"na": True}
                    elif item["kind"] == "service":
                        answers[item["id"]] = {
                            "status": rnd.choice(STATUSES),
                            "level": rnd.randint(1, 5),
                            "utilization": rnd.randint(0, 100),
                        }
    return answers


def main(count: int = 10_000, runs: int = 3) -> None:
    bundle = read_content(ROOT / "content")
    if bundle.problems:
        raise SystemExit("content has problems; run manage.py validate_content")
    framework = bundle.framework("ceds")
    definition = framework.engine_definition()
    scored_items = sum(1 for _s, item in framework.items() if item.kind != "text")
    engine = Engine(definition)
    rnd = random.Random(42)
    answer_sets = [random_answers(definition, rnd) for _ in range(count)]
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for answers in answer_sets:
            engine.score(answers)
        timings.append(time.perf_counter() - start)
    best, median = min(timings), statistics.median(timings)
    print(f"scoring engine: {count} complete assessments of {scored_items} scored items, {runs} runs, one core")
    print(f"  median {median:.2f} s ({count / median:,.0f} assessments/s), best {best:.2f} s")
    budget = 5.0
    status = "PASS" if median <= budget else "FAIL"
    print(f"  budget: {count} assessments in <= {budget:.0f} s: {status}")
    if status == "FAIL":
        raise SystemExit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
