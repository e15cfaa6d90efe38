"""PDF report time (warm) and the peak memory of a process that renders it; run by bench/run.py.

    python bench/pdf_bench.py ASSESSMENT_ID   (environment as set by bench/run.py)

Renders once cold (fonts load, templates compile), then RUNS times warm; prints JSON.
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
RUNS = 3


def main(assessment_id: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    import django

    django.setup()
    from ceds.accounts.models import CityRole
    from ceds.assessments.models import Assessment
    from ceds.reports.pdf import render_pdf

    assessment = Assessment.objects.select_related("city", "city__region", "framework_version").get(pk=assessment_id)
    user = CityRole.objects.get(city=assessment.city, role="coordinator").user
    start = time.perf_counter()
    pdf = render_pdf(user, assessment)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = render_pdf(user, assessment)
        warm.append(time.perf_counter() - start)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "cold_s": cold,
                "warm_s": statistics.median(warm),
                "peak_rss_mb": peak_kib / 1024,
                "bytes": len(pdf or b""),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
