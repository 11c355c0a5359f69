from django.utils.functional import SimpleLazyObject


def inbox(request):
    """`inbox_unread` for the header: one COUNT on a partial index, and only when a page for
    a logged-in reader shows it (guests' pages never ask)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .models import InboxItem

    return {
        "inbox_unread": SimpleLazyObject(
            lambda: InboxItem.objects.filter(recipient=user, read=False).count()
        )
    }
