"""Re-planning the roadmap with new inputs: the plan page's and the API's path when a coordinator
types another budget, staff or horizon (nothing memoised: each round asks for a new budget).

Used by bench/run.py on the synthetic database; its budget (REPLAN_SECONDS in bench/run.py) is 1 s for the full library.
"""

import statistics
import time


def replan_seconds(assessment, rounds: int = 5) -> dict:
    from ceds.benchmarks.results import results_for
    from ceds.solutions import services
    from ceds.solutions.models import Module

    figures = results_for(assessment, True).figures
    timings = []
    for round_ in range(rounds):
        started = time.perf_counter()
        plan = services.build_plan(assessment, figures, budget=1_000_000 + 7_919 * round_, staff=20, horizon=10)
        timings.append(time.perf_counter() - started)
    scheduled = sum(len(codes) for codes in plan.roadmap.phases.values())
    return {"median_s": statistics.median(timings), "modules": Module.objects.count(), "scheduled": scheduled}
