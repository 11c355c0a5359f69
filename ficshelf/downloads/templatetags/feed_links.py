"""`{% alternate_feed obj %}`: the <link rel="alternate"> to the Atom feed of a tag, a creator,
a work or a series (feeds.py), for a page's head (base.html's `head_links` block)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from ficshelf.accounts.models import User
from ficshelf.series.models import Series
from ficshelf.tags.models import Tag
from ficshelf.works.models import Work

from ..feeds import feed_url_of_tag, xml_text

register = template.Library()


def _feed(obj) -> tuple[str, str] | None:
    if isinstance(obj, Tag):
        return feed_url_of_tag(obj), f"Works tagged “{obj.name}”"
    if isinstance(obj, User):
        url = reverse("downloads:creator_feed", kwargs={"username": obj.username})
        return url, f"Works by {obj.username}"
    if isinstance(obj, Work):
        if not obj.posted or obj.restricted:  # no feed carries it
            return None
        return reverse("downloads:work_feed", kwargs={"work_id": obj.pk}), f"{obj.title}: chapters"
    if isinstance(obj, Series):
        return reverse("downloads:series_feed", kwargs={"series_id": obj.pk}), obj.title
    return None


@register.simple_tag
def alternate_feed(obj) -> str:
    found = _feed(obj)
    if found is None:
        return ""
    url, title = found
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{} | {}" href="{}">',
        xml_text(title),
        settings.SITE_NAME,
        url,
    )
