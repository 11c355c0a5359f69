"""The inbox's part of an account's export (accounts.extensions.register_account_export): what
the reader follows, and their email choices. Inbox items are notices about other things and
are left out (the things themselves are in the export of whoever owns them)."""

from .models import InboxSettings, Subscription


def account_inbox(user) -> dict:
    subscriptions = [
        {
            "kind": subscription.kind,
            "work_id": subscription.work_id,
            "creator": subscription.creator.username if subscription.creator_id else None,
            "series_id": subscription.series_id,
            "since": subscription.created_at.isoformat(),
        }
        for subscription in Subscription.objects.filter(subscriber=user).select_related("creator")
    ]
    found = InboxSettings.objects.filter(user=user).first()
    emails = (
        {
            topic: getattr(found, topic)
            for topic in ("comments", "replies", "subscriptions", "kudos", "moderation")
        }
        if found
        else {}
    )
    return {"subscriptions": subscriptions, "email_choices": emails}
