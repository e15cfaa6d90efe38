"""Benchmark tasks: what a publication, a change of sharing or an archive recomputes.

Idempotent: recompute() rebuilds every peer statistic of one framework version and period from the
shared results as they are when it runs, and refresh_public_results() rebuilds the cities' listed
rows; a task run twice (its worker died before acknowledging it) writes the same rows. Two tasks of
the same version and period are serialised by recompute() itself (its database lock), so a run
that starts after a later publication still reads that publication.
"""

from celery import shared_task

from ceds.benchmarks import services


@shared_task
def recompute_results(version_id: int, period: str, framework_id: str, city_ids: list[int]) -> int:
    written = services.recompute(version_id, period)
    services.refresh_public_results(framework_id, city_ids)
    return written
