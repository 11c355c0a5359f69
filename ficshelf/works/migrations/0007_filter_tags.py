# Works' filter tags. Nothing is wrangled yet when this runs, so each work's filter tags are
# its own tags.

import django.db.models.deletion
from django.db import migrations, models


def copy_taggings(apps, schema_editor):
    Tagging = apps.get_model("works", "Tagging")
    FilterTagging = apps.get_model("works", "FilterTagging")
    batch = []
    for work_id, tag_id in Tagging.objects.order_by("pk").values_list("work_id", "tag_id").iterator():
        batch.append(FilterTagging(work_id=work_id, tag_id=tag_id))
        if len(batch) >= 1000:
            FilterTagging.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    FilterTagging.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('tags', '0004_name_key_unique'),
        ('works', '0006_feedback_settings_and_counts'),
    ]

    operations = [
        migrations.CreateModel(
            name='FilterTagging',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tag', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='filter_taggings', to='tags.tag')),
                ('work', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='filter_taggings', to='works.work')),
            ],
            options={
                'indexes': [models.Index(fields=['tag', 'work'], name='filter_tagging_tag_work')],
                'constraints': [models.UniqueConstraint(fields=('work', 'tag'), name='unique_filter_tagging')],
            },
        ),
        migrations.RunPython(copy_taggings, migrations.RunPython.noop),
    ]
