from django.db import migrations, models


def fill_scores(apps, schema_editor):
    from ceds.assessments.models import summary_scores

    ScoreSnapshot = apps.get_model("assessments", "ScoreSnapshot")
    for snapshot in ScoreSnapshot.objects.only("pk", "figures").iterator(chunk_size=500):
        ScoreSnapshot.objects.filter(pk=snapshot.pk).update(scores=summary_scores(snapshot.figures))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="scoresnapshot",
            name="scores",
            field=models.JSONField(default=dict, editable=False),
        ),
        migrations.RunPython(fill_scores, migrations.RunPython.noop),
    ]
