"""The archive's name for templates Django renders without a request (500, CSRF failure)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def archive_name() -> str:
    """settings.SITE_NAME, for pages that get no context processors."""
    return settings.SITE_NAME
