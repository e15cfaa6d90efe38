"""Peer values stored as packed 8-byte floats instead of a JSON list (same numbers, read faster)."""

from array import array

from django.db import migrations, models


def pack_values(apps, schema_editor):
    PeerStat = apps.get_model("benchmarks", "PeerStat")
    changed = []
    for stat in PeerStat.objects.exclude(values=[]).only("pk", "values").iterator(chunk_size=2000):
        stat.packed_values = array("d", stat.values).tobytes()
        changed.append(stat)
    PeerStat.objects.bulk_update(changed, ["packed_values"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0003_leaderboard"),
    ]

    operations = [
        migrations.AddField(
            model_name="peerstat",
            name="packed_values",
            field=models.BinaryField(default=bytes),
        ),
        migrations.RunPython(pack_values, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="peerstat",
            name="values",
        ),
    ]
