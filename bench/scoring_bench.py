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

from ceds.content.reader import read_content  # noqa: E402
from ceds.scoring.engine import Engine  # noqa: E402

STATUSES = ["absent", "planned", "developing", "operating"]
BUDGET = 2_000  # assessments per second


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


def throughput(count: int = 10_000, runs: int = 3) -> float:
    """Median assessments per second over `runs` runs of `count` complete assessments."""
    bundle = read_content(ROOT / "content")
    if bundle.problems:
        raise SystemExit("content has problems; run manage.py validate_content")
    definition = bundle.framework("ceds").engine_definition()
    engine = Engine(definition)
    rnd = random.Random(42)
    answer_sets = [random_answers(definition, rnd) for _ in range(count)]
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for answers in answer_sets:
            engine.score(answers)
        timings.append(time.perf_counter() - start)
    return count / statistics.median(timings)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rate = throughput(count)
    print(f"scoring engine: {count:,} complete assessments, median of 3 runs, one core: {rate:,.0f} assessments/s")
    sys.exit(0 if rate >= BUDGET else 1)
