"""Works gained a hits_count (works 0011): count the hits already recorded."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def recount(apps, schema_editor):
    Hit = apps.get_model("stats", "Hit")
    Work = apps.get_model("works", "Work")
    count = (
        Hit.objects.filter(work=OuterRef("pk"))
        .order_by()
        .values("work")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Work.objects.filter(pk__in=Hit.objects.values("work")).update(
        hits_count=Coalesce(Subquery(count), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("works", "0011_work_hits_count"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
