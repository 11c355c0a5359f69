from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.625 -> "63%"; None (nothing to divide by) -> "–"."""
    return "–" if value is None else f"{round(value * 100)}%"
