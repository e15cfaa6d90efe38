"""Peer statistics count their anonymous results, per group and per signature (the k >= 5 rule of ceds.benchmarks.anonymity reads
the count), and stored leaderboards keep only results shared by name.

The counts of existing statistics are filled here from the same pool recompute() reads (published,
shared results), so that pages keep their statistics after the upgrade; a row left uncounted is
not shown.
"""

from collections import Counter

from django.db import migrations, models

MEMBER_KINDS = ("member", "friendship_member")


def count_anonymous(apps, schema_editor):
    PeerStat = apps.get_model("benchmarks", "PeerStat")
    ScoreSnapshot = apps.get_model("assessments", "ScoreSnapshot")
    Leaderboard = apps.get_model("benchmarks", "Leaderboard")
    pools = PeerStat.objects.values_list("framework_version_id", "period").distinct()
    for version_id, period in list(pools):
        counts: Counter = Counter()
        atoms: Counter = Counter()
        rows = ScoreSnapshot.objects.filter(
            is_current=True,
            assessment__framework_version_id=version_id,
            assessment__period=period,
            assessment__status="published",
            assessment__sharing="anonymous",
        ).values_list(
            "scores",
            "assessment__city__region__code",
            "assessment__city__profile__population_band",
            "assessment__city__profile__income_group",
            "assessment__city__membership__kind",
        )
        for scores, region, band, income, membership in rows.iterator():
            groups = [("all", ""), ("region", region)]
            if band:
                groups.append(("population", band))
            if income:
                groups.append(("income", income))
            if membership in MEMBER_KINDS:
                groups.append(("members", ""))
            # As ceds.benchmarks.anonymity.signature writes it.
            atoms[f"{region}|{band or ''}|{income or ''}|{int(membership in MEMBER_KINDS)}"] += 1
            for key in scores:
                for kind, value in groups:
                    counts[(kind, value, key)] += 1
        stats = list(PeerStat.objects.filter(framework_version_id=version_id, period=period))
        for stat in stats:
            stat.anonymous = counts[(stat.group_kind, stat.group_value, stat.figure_key)]
            if (stat.group_kind, stat.group_value, stat.figure_key) == ("all", "", "overall"):
                stat.anonymous_atoms = dict(atoms)
        PeerStat.objects.bulk_update(stats, ["anonymous", "anonymous_atoms"], batch_size=1000)
    for board in Leaderboard.objects.all():
        board.entries = [entry for entry in board.entries if entry.get("sharing") == "named"]
        board.save(update_fields=["entries"])


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0006_leaderboard_region_names"),
        ("assessments", "0003_snapshot_summary"),
        ("cities", "0002_city_report_revision"),
    ]

    operations = [
        migrations.AddField(
            model_name="peerstat",
            name="anonymous",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="peerstat",
            name="anonymous_atoms",
            field=models.JSONField(null=True),
        ),
        migrations.RunPython(count_anonymous, migrations.RunPython.noop),
    ]
