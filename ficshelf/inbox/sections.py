"""What the inbox adds to works', series' and accounts' pages, through their registries:
Subscribe / Unsubscribe buttons after a work, on a series page and on a creator's profile.
Logged-in readers only: guests' pages are cached whole and shared, and a subscription needs an
account, so a guest's page is left as it is (no version to move)."""

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.series.extensions import SeriesSection
from ficshelf.works.extensions import ReadingAdditions, ReadingSection

WORK_TEMPLATE = "inbox/_subscribe_work.html"
CREATOR_TEMPLATE = "inbox/_subscribe_creator.html"
OWN_TEMPLATE = "inbox/_own_profile.html"
SERIES_TEMPLATE = "inbox/_subscribe_series.html"


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    from .models import Subscription
    from .services import may_subscribe_to_work

    additions = ReadingAdditions()
    user = request.user
    if not user.is_authenticated:
        return additions
    subscription = Subscription.objects.filter(subscriber=user, work=work).first()
    if subscription is None and may_subscribe_to_work(user, work):
        return additions
    additions.after_work.append(
        ReadingSection(WORK_TEMPLATE, {"work": work, "subscription": subscription})
    )
    return additions


def profile_sections(owner, pseud, viewer) -> list[ProfileSection]:
    from .models import Subscription

    if not getattr(viewer, "is_authenticated", False) or pseud is not None:
        return []
    if viewer.pk == owner.pk:
        return [ProfileSection(OWN_TEMPLATE, {"owner": owner})]
    subscription = Subscription.objects.filter(subscriber=viewer, creator=owner).first()
    return [ProfileSection(CREATOR_TEMPLATE, {"owner": owner, "subscription": subscription})]


def series_sections(request, series) -> list[SeriesSection]:
    """Subscribe / Unsubscribe on a series page, for a logged-in reader who is not its
    creator (an existing subscription can always be ended)."""
    from .models import Subscription
    from .services import may_subscribe_to_series

    user = request.user
    if not user.is_authenticated:
        return []
    subscription = Subscription.objects.filter(subscriber=user, series=series).first()
    if subscription is None and may_subscribe_to_series(user, series):
        return []
    return [SeriesSection(SERIES_TEMPLATE, {"series": series, "subscription": subscription})]
