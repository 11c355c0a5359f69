"""A reader's shelf: what they read and where they stopped, what they mean to read later, what
they never want to see, saved searches, and how they like the page to look.

Everything here is its owner's alone: no page shows it to anyone else, it is exported with the
account and deleted with it (each model cascades from the account). Creators and works a reader
hides are feedback's mutes and hidden works; the blocklist here adds tags and "hide what I
have read / gave kudos to". Guests keep the same blocklist and reading settings in a cookie.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ficshelf.tags.models import Tag
from ficshelf.works.models import Chapter, Work


class Reading(models.Model):
    """One reader and one work: in their history (when and how far), marked for later, and
    the paragraph they last had on screen, so that any device can continue there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    # The last chapter opened (without JavaScript, the only position known).
    chapter = models.ForeignKey(
        Chapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The `data-p` id of the paragraph on screen when the reader left, and its place among
    # the chapter's paragraphs then: if an edit removes it, the reader resumes at the
    # paragraph that now has that place (or the last one).
    paragraph = models.CharField(max_length=32, blank=True)
    paragraph_index = models.PositiveIntegerField(null=True, blank=True)
    position_at = models.DateTimeField(null=True, blank=True)
    # History: shown while `in_history`; deleting an entry keeps a mark for later.
    in_history = models.BooleanField(default=True)
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    views = models.PositiveIntegerField(default=0)
    marked_for_later = models.BooleanField(default=False)
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="one_reading_per_work"),
        ]
        indexes = [
            models.Index(fields=["user", "in_history", "viewed_at"], name="reading_history"),
            models.Index(fields=["user", "marked_for_later", "marked_at"], name="marked_for_later"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} reads {self.work_id}"


class Theme(models.TextChoices):
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"
    SEPIA = "sepia", "Sepia"


class Typeface(models.TextChoices):
    SERIF = "serif", "Serif"
    SANS = "sans", "Sans serif"


class TextSize(models.TextChoices):
    SMALL = "s", "Small"
    MEDIUM = "m", "Medium"
    LARGE = "l", "Large"
    EXTRA_LARGE = "xl", "Extra large"


class LineWidth(models.TextChoices):
    NARROW = "narrow", "Narrow"
    MEDIUM = "medium", "Medium"
    WIDE = "wide", "Wide"


class LineSpacing(models.TextChoices):
    TIGHT = "tight", "Tight"
    NORMAL = "normal", "Normal"
    LOOSE = "loose", "Loose"


class ShelfSettings(models.Model):
    """A reader's choices: history, what to hide in lists, and how pages look."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shelf_settings"
    )
    history_paused = models.BooleanField(default=False)
    hide_read = models.BooleanField(default=False, help_text="Hide works I have read.")
    hide_kudosed = models.BooleanField(default=False, help_text="Hide works I gave kudos to.")
    text_size = models.CharField(max_length=2, choices=TextSize.choices, default=TextSize.MEDIUM)
    line_width = models.CharField(max_length=6, choices=LineWidth.choices, default=LineWidth.MEDIUM)
    line_spacing = models.CharField(
        max_length=6, choices=LineSpacing.choices, default=LineSpacing.NORMAL
    )
    typeface = models.CharField(max_length=5, choices=Typeface.choices, default=Typeface.SERIF)
    theme = models.CharField(max_length=5, choices=Theme.choices, default=Theme.LIGHT)
    hide_creator_styling = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "shelf settings"

    def __str__(self) -> str:
        return f"Shelf settings of {self.user_id}"


class BlockedTag(models.Model):
    """A tag a reader never wants to see, everywhere or (with `fandom`) only in one fandom.
    Matched through works.FilterTagging, so a synonym or a subtag is blocked with it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_tags"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    fandom = models.ForeignKey(
        Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "tag"],
                condition=Q(fandom__isnull=True),
                name="tag_blocked_once_everywhere",
            ),
            models.UniqueConstraint(
                fields=["user", "tag", "fandom"],
                condition=Q(fandom__isnull=False),
                name="tag_blocked_once_per_fandom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} blocks tag {self.tag_id}"


class SavedSearch(models.Model):
    """A search with a name: its query string, run again from the reader's list or feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query = models.TextField(help_text="The search page's query string.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_once"),
        ]

    def __str__(self) -> str:
        return self.name
