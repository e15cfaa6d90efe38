"""Keeping the copies of cities fresh: what publication wrote follows a change to a city."""

from ceds.benchmarks.services import cities_changed

# What the peer statistics, leaderboards and public listing copy of a city, as cities.signals
# names fields; a change of any other (a profile's ICT staff, a membership's status) changes none.
COPIED_FIELDS = frozenset(
    {
        "city.name",
        "city.country",
        "city.region",
        "profile.population_band",
        "profile.income_group",
        "membership.kind",
        "region.names",
    }
)


def on_city_changed(sender, city_ids, fields=None, **kwargs) -> None:
    if fields is None or fields & COPIED_FIELDS:
        cities_changed(city_ids)
