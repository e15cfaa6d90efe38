"""Peer statistics pool the versions of a framework that carry the same figures."""

import copy

from ceds.benchmarks.models import Leaderboard, PeerStat
from ceds.benchmarks.services import pooled_versions, recompute
from ceds.benchmarks.tests.helpers import published_peers
from ceds.frameworks.models import FrameworkVersion


def _copy(version, number, definition=None):
    return FrameworkVersion.objects.create(
        framework_id=version.framework_id,
        version=number,
        title=version.title,
        definition=definition or version.definition,
        checksum=f"copy-{number}",
        crosswalk={"from_version": number - 1, "items": {}},
    )


def test_results_on_two_versions_with_the_same_figures_are_one_set_of_peers(world, kinds):
    newer = _copy(kinds, 2)
    other = copy.deepcopy(kinds.definition)
    other["parts"][0]["groups"][0]["sections"][0]["id"] = "GX"  # a version that renamed a dimension
    renamed = _copy(kinds, 3, other)
    assert pooled_versions(newer.pk) == pooled_versions(kinds.pk) == [kinds.pk, newer.pk]
    assert pooled_versions(renamed.pk) == [renamed.pk]

    published_peers(kinds, "2026", 3)  # three cities finish a cycle on version 1 ...
    published_peers(newer, "2026", 3, start=3)  # ... three on version 2, in the same period
    recompute(newer.pk, "2026")
    for version in (kinds, newer):
        stat = PeerStat.objects.get(framework_version=version, period="2026", group_kind="all", figure_key="overall")
        assert stat.n == 6 and stat.median is not None
        board = Leaderboard.objects.get(framework_version=version, period="2026")
        assert len(board.entries) == 4  # the results shared by name, of both versions
    assert not PeerStat.objects.filter(framework_version=renamed).exists()
