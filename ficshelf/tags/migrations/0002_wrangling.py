# Tag wrangling: canonicals, synonyms, parents, the log of changes; names unique across kinds
# (the key column is filled by 0003 and made unique by 0004).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tags', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='tag', name='unique_tag_name_per_kind'),
        migrations.AlterField(
            model_name='tag', name='name', field=models.CharField(max_length=200),
        ),
        migrations.AddField(
            model_name='tag',
            name='name_key',
            field=models.CharField(editable=False, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='tag',
            name='canonical',
            field=models.BooleanField(default=False, help_text='The name readers filter by; synonyms point to it.'),
        ),
        migrations.AddField(
            model_name='tag',
            name='merger',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='synonyms', to='tags.tag', verbose_name='synonym of'),
        ),
        migrations.AlterModelOptions(
            name='tag',
            options={'ordering': ['kind', 'name'], 'permissions': [('wrangle_tag', 'Can wrangle tags')]},
        ),
        migrations.CreateModel(
            name='TagParent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parent_links', to='tags.tag')),
                ('parent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='child_links', to='tags.tag')),
            ],
            options={
                'constraints': [
                    models.UniqueConstraint(fields=('child', 'parent'), name='unique_tag_parent'),
                    models.CheckConstraint(condition=models.Q(('parent', models.F('child')), _negated=True), name='a_tag_is_not_its_own_parent'),
                ],
            },
        ),
        migrations.AddField(
            model_name='tag',
            name='parents',
            field=models.ManyToManyField(blank=True, related_name='children', through='tags.TagParent', through_fields=('child', 'parent'), to='tags.tag'),
        ),
        migrations.AddConstraint(
            model_name='tag',
            constraint=models.CheckConstraint(condition=models.Q(('merger__isnull', True), ('canonical', False), _connector='OR'), name='a_synonym_is_not_canonical'),
        ),
        migrations.AddConstraint(
            model_name='tag',
            constraint=models.CheckConstraint(condition=models.Q(('merger', models.F('pk')), _negated=True), name='a_tag_is_not_its_own_synonym'),
        ),
        migrations.CreateModel(
            name='WranglingChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('canonical', 'made canonical'), ('not_canonical', 'made not canonical'), ('merged', 'made a synonym of'), ('unmerged', 'no longer a synonym of'), ('parent_added', 'given the parent'), ('parent_removed', 'no longer under')], max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('other', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tags.tag')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wrangling_changes', to='tags.tag')),
                ('wrangler', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={'ordering': ['-created_at', '-pk']},
        ),
    ]
