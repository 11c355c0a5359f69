from django.db import migrations


class Migration(migrations.Migration):
    """Stands for a deploy whose `migrate` has not run yet."""

    operations = []
