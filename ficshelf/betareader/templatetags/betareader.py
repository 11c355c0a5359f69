"""The beta reader's badge on an author's list of works."""

import logging

from django import template
from django.urls import reverse

from ficshelf.betareader import services
from ficshelf.betareader.report import describe_counts

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("betareader/_badge.html", takes_context=True)
def beta_reader_badge(context, work) -> dict:
    """The badge "Beta reader: 2 errors, 1 suggestion" on a draft, for its creators only."""
    user = context.get("user")
    if work.posted or not work.is_creator(user):
        return {}
    try:
        counts = services.summarize_draft(work=work, user=user)
    except Exception:
        # A badge is a convenience: the author's list of works must show even if checking fails.
        logger.exception("The beta reader could not summarize work %s", work.pk)
        return {}
    chapters = list(work.chapters.order_by("position").values_list("pk", flat=True)[:2])
    if len(chapters) == 1:
        url = reverse("betareader:check", kwargs={"work_id": work.pk, "chapter_id": chapters[0]})
    else:
        url = work.get_absolute_url()
    return {"counts": counts, "summary": describe_counts(counts), "url": url}
