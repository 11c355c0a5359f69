from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tags', '0003_names_unique_across_kinds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='tag',
            name='name_key',
            field=models.CharField(editable=False, max_length=200, unique=True),
        ),
        migrations.AddIndex(
            model_name='tag',
            index=models.Index(fields=['kind', 'canonical', 'name_key'], name='tag_kind_canonical_key', opclasses=['varchar_pattern_ops', 'bool_ops', 'varchar_pattern_ops']),
        ),
    ]
