"""The reader's reading settings as classes on base.html's <html> element."""

from .reading_settings import for_request


def reading_settings(request):
    """`reading_classes`: called by the template only when it renders base.html, so a page
    without it makes no query; the account's row is read once per request at most."""
    return {"reading_classes": lambda: for_request(request).classes()}
