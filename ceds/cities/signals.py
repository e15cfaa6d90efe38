"""What cities tell the apps that keep copies of them, without knowing who those apps are.

`city_changed` is sent, inside the transaction of the change, whenever what other apps copy
about some cities may have changed: a city's name, country or region, its profile (population
band and income group form peer groups), its membership, or the names of its region (the region
admin, and load_content when content/gazetteer/regions.yaml renames one). Arguments:
`city_ids` (the cities concerned) and `fields`, the changed fields as "model.field" (e.g.
"profile.population_band", "region.names"), or None when any may have changed (an admin save).
The benchmarks app refreshes its peer statistics, leaderboards and public listing on it.
"""

from django.dispatch import Signal

city_changed = Signal()


def send_city_changed(city_ids, fields=None) -> None:
    city_ids = sorted(set(city_ids))
    if city_ids:
        city_changed.send(sender="cities", city_ids=city_ids, fields=None if fields is None else frozenset(fields))
