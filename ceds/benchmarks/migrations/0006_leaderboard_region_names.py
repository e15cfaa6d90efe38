"""Leaderboard entries carry their region's names, so a page names anonymous cities without a query."""

from django.db import migrations


def add_region_names(apps, schema_editor):
    Leaderboard = apps.get_model("benchmarks", "Leaderboard")
    Region = apps.get_model("cities", "Region")
    names = dict(Region.objects.values_list("pk", "names"))
    for board in Leaderboard.objects.all():
        board.entries = [{**entry, "region_names": names.get(entry["region"], {})} for entry in board.entries]
        board.save(update_fields=["entries"])


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0005_map_shading"),
        ("cities", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_region_names, migrations.RunPython.noop)]
