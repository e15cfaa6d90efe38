from django.db import migrations, models


def fill_summary(apps, schema_editor):
    from ceds.assessments.models import summary_figures

    ScoreSnapshot = apps.get_model("assessments", "ScoreSnapshot")
    for snapshot in ScoreSnapshot.objects.only("pk", "figures").iterator(chunk_size=500):
        ScoreSnapshot.objects.filter(pk=snapshot.pk).update(summary=summary_figures(snapshot.figures))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_snapshot_scores")]

    operations = [
        migrations.AddField(
            model_name="scoresnapshot",
            name="summary",
            field=models.JSONField(default=dict, editable=False),
        ),
        migrations.RunPython(fill_summary, migrations.RunPython.noop),
    ]
