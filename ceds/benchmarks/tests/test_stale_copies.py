"""What publication copies of a city follows every change to it (cities.signals.city_changed).

The leaderboard keeps city and region names, the peer statistics group cities by region,
population band, income group and membership, the public listing keeps name, region and
membership: each case below changes one of them the way the secretariat or a coordinator does.
"""

import json

from ceds.benchmarks.models import Leaderboard, PeerGroup, PeerStat, PublicResult
from ceds.benchmarks.tests.helpers import save_city_in_admin, validated_result
from ceds.cities import services as city_services


def _board(version):
    return Leaderboard.objects.get(framework_version=version, period="2025")


def _peers_in(version, kind, value="") -> int:
    """How many results the overall figure of one peer group counts (0 without a row)."""
    row = PeerStat.objects.filter(
        framework_version=version, period="2025", group_kind=kind, group_value=value, figure_key="overall"
    ).first()
    return row.n if row else 0


def test_a_city_renamed_in_the_admin_is_renamed_on_the_leaderboard(world, kinds, client_for):
    validated_result(world, kinds, "2025")
    save_city_in_admin(client_for(world["secretariat"]), world.city_a, name="Seoul Metropolitan")
    board = _board(kinds)
    assert [e["city"] for e in board.entries] == ["Seoul Metropolitan"]
    assert {leader["city"] for leaders in board.section_leaders.values() for leader in leaders} == {
        "Seoul Metropolitan"
    }


def test_a_region_renamed_in_the_admin_is_renamed_on_the_leaderboard(world, kinds, client_for):
    validated_result(world, kinds, "2025")
    region = world.region_a
    response = client_for(world["secretariat"]).post(
        f"/admin/cities/region/{region.pk}/change/",
        {"code": region.code, "names": json.dumps({"en": "Asia and the Pacific"}), "ordering": region.ordering},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert [e["region_names"] for e in _board(kinds).entries] == [{"en": "Asia and the Pacific"}]


def test_a_city_moved_to_another_region_changes_its_peer_group_and_listing(world, kinds, client_for):
    validated_result(world, kinds, "2025")
    assert _peers_in(kinds, PeerGroup.REGION, "asia_pacific") == 1
    save_city_in_admin(client_for(world["secretariat"]), world.city_a, region=world.region_b.pk)
    assert _peers_in(kinds, PeerGroup.REGION, "asia_pacific") == 0
    assert _peers_in(kinds, PeerGroup.REGION, "europe") == 1
    assert PublicResult.objects.get(city=world.city_a).region_code == "europe"


def test_a_new_population_band_moves_the_city_between_peer_groups(world, kinds):
    validated_result(world, kinds, "2025")
    assert _peers_in(kinds, PeerGroup.POPULATION, "1m_5m") == 1
    city_services.update_profile(world["a_coordinator"], world.city_a, {"population_band": "over_5m"})
    assert _peers_in(kinds, PeerGroup.POPULATION, "1m_5m") == 0
    assert _peers_in(kinds, PeerGroup.POPULATION, "over_5m") == 1


def test_a_new_income_group_puts_the_city_in_that_group(world, kinds):
    validated_result(world, kinds, "2025")
    city_services.update_profile(world["a_coordinator"], world.city_a, {"income_group": "high"})
    assert _peers_in(kinds, PeerGroup.INCOME, "high") == 1


def test_a_city_that_is_no_longer_a_member_leaves_the_member_cities(world, kinds):
    validated_result(world, kinds, "2025")
    assert _peers_in(kinds, PeerGroup.MEMBERS) == 1
    city_services.update_membership(world["secretariat"], world.city_a, {"kind": "partner"})
    assert _peers_in(kinds, PeerGroup.MEMBERS) == 0
    assert PublicResult.objects.get(city=world.city_a).membership_kind == "partner"


def test_a_change_nobody_copies_rebuilds_nothing(world, kinds):
    validated_result(world, kinds, "2025")
    before = _board(kinds).computed_at
    city_services.update_profile(world["a_coordinator"], world.city_a, {"ict_staff": 12})
    assert _board(kinds).computed_at == before


def test_a_region_renamed_in_the_content_is_renamed_on_the_leaderboard(world, kinds, tmp_path):
    import io

    import yaml
    from django.core.management import call_command

    from ceds.content.tests.helpers import copy_fixture

    validated_result(world, kinds, "2025")
    root = copy_fixture(tmp_path)
    (root / "gazetteer").mkdir()
    regions = [
        {"code": "asia_pacific", "names": {"en": "Asia and the Pacific"}},
        {"code": "europe", "names": {"en": "Europe"}},
    ]
    (root / "gazetteer" / "regions.yaml").write_text(yaml.safe_dump({"regions": regions}), encoding="utf-8")
    call_command("load_content", content=str(root), stdout=io.StringIO())
    assert [e["region_names"] for e in _board(kinds).entries] == [{"en": "Asia and the Pacific"}]
