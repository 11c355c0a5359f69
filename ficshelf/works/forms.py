"""Forms for posting and revising works: every 400-type error is raised here."""

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from ficshelf.accounts.models import Pseud
from ficshelf.tags.models import ARCHIVE_WARNINGS, CATEGORIES, Rating, TagKind
from ficshelf.tags.services import split_tag_list
from ficshelf.userstuff import TextFormat
from ficshelf.userstuff.forms import PlainLabelsMixin
from ficshelf.userstuff.paragraphs import strip_paragraph_ids

from . import limits, scheduling
from .models import LANGUAGE_CHOICES, CommentPermission, Work
from .services import ChapterContent, WorkMetadata

TAG_HELP = "Separate tags with commas."
# The time zones a creator picks from for a scheduled release, the archive's first.
TIME_ZONE_CHOICES = [
    (name, name.replace("_", " "))
    for name in dict.fromkeys([settings.TIME_ZONE, *scheduling.LISTED_TIME_ZONES])
]


def _tag_input(kind: str) -> forms.TextInput:
    # static/js/tag-autocomplete.js offers canonical tags under fields marked so; without
    # JavaScript the field is a plain comma-separated text box.
    return forms.TextInput(
        attrs={
            "data-tag-autocomplete": kind,
            "data-autocomplete-url": reverse_lazy("wrangling:autocomplete"),
            "autocomplete": "off",
        }
    )


def _pseud_label(pseud: Pseud) -> str:
    return str(pseud)


class _ServiceErrorsMixin:
    """The services hold the rules (limits, required tags, conflicts); a form parses the
    request and shows the service's ValidationError, keyed by field, on its fields."""

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)

    def carry_revision(self, revision: int) -> None:
        """After a conflict, carry the saved revision so that saving again, on purpose,
        replaces it with this version."""
        self.data = self.data.copy()
        self.data["base_revision"] = str(revision)


def _base_revision_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def _submission_id_field() -> forms.UUIDField:
    # A one-time token per opened form (works.submissions): a double click saves once.
    return forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class ScheduleFields(forms.Form):
    """A date and time to post at ("Post at") in a time zone, read when the "Schedule" button
    is pressed.
    static/js/schedule.js picks the browser's time zone; without JavaScript the archive's
    is the default. `schedule` is then the release (a UTC time and the zone), else None."""

    post_at = forms.CharField(
        label="Post at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="The date and time to post it at, in the time zone below (within a year).",
    )
    time_zone = forms.CharField(
        label="Time zone", required=False, widget=forms.Select(choices=TIME_ZONE_CHOICES)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = None
        if not self.is_bound and not self.initial.get("time_zone"):
            self.initial["time_zone"] = settings.TIME_ZONE
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = "fill"

    @staticmethod
    def schedule_initial(thing) -> dict:
        """A scheduled work's or chapter's time, shown in the zone it was set in."""
        if thing.scheduled_for is None or thing.posted:
            return {}
        zone = ZoneInfo(thing.scheduled_time_zone or settings.TIME_ZONE)
        local = thing.scheduled_for.astimezone(zone)
        return {"post_at": local.strftime("%Y-%m-%dT%H:%M"), "time_zone": zone.key}

    def clean(self):
        cleaned = super().clean()
        if "schedule" not in self.data:
            return cleaned
        zone_name = cleaned.get("time_zone") or settings.TIME_ZONE
        text = (cleaned.get("post_at") or "").strip()
        try:
            zone = scheduling.check_time_zone(zone_name)
            if not text:
                raise ValidationError({"post_at": ["Please choose when to post it."]})
            try:
                local = datetime.fromisoformat(text).replace(tzinfo=None)
            except ValueError:
                raise ValidationError(
                    {"post_at": ["Please enter a date and time, such as 2026-05-01 18:00."]}
                ) from None
            post_at = local.replace(tzinfo=zone)
            if post_at.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
                raise ValidationError(
                    {
                        "post_at": [
                            f"{text} does not exist in {zone_name}: the clocks go forward "
                            "then. Please choose another time."
                        ]
                    }
                )
            self.schedule = scheduling.Schedule(
                post_at=scheduling.check_post_at(post_at, time_zone=zone_name),
                time_zone=zone_name,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name, messages)
        return cleaned


class WorkForm(PlainLabelsMixin, _ServiceErrorsMixin, ScheduleFields):
    """A work's metadata; on a new work, also its first chapter."""

    pseuds = forms.ModelMultipleChoiceField(
        label="Creator/Pseud(s)",
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Which of your pseuds to credit.",
    )
    co_creators = forms.CharField(
        label="Co-creators",
        required=False,
        help_text="User names of others who wrote this with you, separated by commas. "
        "Use “pseud (user)” for another pseud. Every creator can edit the work.",
    )
    title = forms.CharField()
    rating = forms.ChoiceField(choices=Rating.choices, initial=Rating.NOT_RATED)
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings",
        choices=[(name, name) for name in ARCHIVE_WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Please choose at least one archive warning."},
    )
    categories = forms.MultipleChoiceField(
        choices=[(name, name) for name in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fandoms = forms.CharField(
        label="Fandoms",
        help_text=TAG_HELP,
        error_messages={"required": "Please add a fandom."},
        widget=_tag_input(TagKind.FANDOM),
    )
    relationships = forms.CharField(
        required=False,
        help_text="“A/B” for a romantic or sexual relationship, “A & B” for a platonic one. "
        + TAG_HELP,
        widget=_tag_input(TagKind.RELATIONSHIP),
    )
    characters = forms.CharField(
        required=False, help_text=TAG_HELP, widget=_tag_input(TagKind.CHARACTER)
    )
    freeforms = forms.CharField(
        label="Additional Tags",
        required=False,
        widget=_tag_input(TagKind.FREEFORM),
        help_text=f"At most {limits.FREEFORM_TAGS_MAX}. " + TAG_HELP,
    )
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, initial="en")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=f"At most {limits.SUMMARY_MAX:,} characters. HTML is allowed.",
    )
    notes = forms.CharField(
        label="Beginning notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    end_notes = forms.CharField(
        label="End notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    expected_chapters = forms.IntegerField(
        label="Expected number of chapters",
        required=False,
        min_value=1,
        max_value=limits.EXPECTED_CHAPTERS_MAX,
        help_text="Leave empty if you don't know yet (shown as “?”).",
    )
    is_complete = forms.BooleanField(label="This work is complete", required=False)
    restricted = forms.BooleanField(
        label="Only show this work to readers who are logged in", required=False
    )
    comment_permission = forms.ChoiceField(
        label="Who can comment on this work",
        choices=CommentPermission.choices,
        initial=CommentPermission.EVERYONE,
        # A form from before this setting existed (or a script) keeps the default.
        required=False,
    )
    moderated_comments = forms.BooleanField(
        label="Moderate comments: new comments wait for your approval", required=False
    )
    critique_welcome = forms.BooleanField(
        label="Critique welcome: invite readers to say what could be better", required=False
    )
    inline_comments = forms.BooleanField(
        label="Let readers comment on a paragraph or passage", required=False, initial=True
    )
    # The first chapter, on new works only.
    chapter_title = forms.CharField(label="Chapter title", required=False)
    text_format = forms.ChoiceField(
        label="The text is written as", choices=TextFormat.choices, initial=TextFormat.HTML
    )
    text = forms.CharField(
        label="Work text",
        widget=forms.Textarea(attrs={"rows": 20, "class": "chapter-text"}),
        strip=False,
        help_text="Rich text as HTML (blank lines make paragraphs; paste from a word "
        "processor keeps italics and bold), plain text, or Markdown.",
    )
    base_revision = _base_revision_field()
    submission_id = _submission_id_field()

    def __init__(self, *args, user, work: Work | None = None, **kwargs):
        self.user = user
        self.work = work
        if work is not None:
            kwargs.setdefault("initial", self.initial_for(work, user))
            kwargs["initial"].setdefault("base_revision", work.revision)
        super().__init__(*args, **kwargs)
        self.fields["pseuds"].queryset = Pseud.objects.for_user(user).select_related("user")
        self.fields["pseuds"].label_from_instance = _pseud_label
        if work is None:
            self.fields["pseuds"].initial = [p.pk for p in Pseud.objects.for_user(user)[:1]]
        else:
            for name in ("chapter_title", "text_format", "text"):
                del self.fields[name]

    @staticmethod
    def initial_for(work: Work, user) -> dict:
        own = [p for p in work.creator_pseuds() if p.user_id == user.pk]
        others = [p for p in work.creator_pseuds() if p.user_id != user.pk]
        pending = [invitation.pseud for invitation in work.creator_invitations.all()]
        return {
            "pseuds": [p.pk for p in own],
            "co_creators": ", ".join(_pseud_reference(p) for p in [*others, *pending]),
            "title": work.title,
            "rating": work.rating,
            "warnings": [t.name for t in work.warnings],
            "categories": [t.name for t in work.categories],
            "fandoms": ", ".join(t.name for t in work.fandoms),
            "relationships": ", ".join(t.name for t in work.relationships),
            "characters": ", ".join(t.name for t in work.characters),
            "freeforms": ", ".join(t.name for t in work.freeforms),
            "language": work.language,
            "summary": work.summary,
            "notes": work.notes,
            "end_notes": work.end_notes,
            "expected_chapters": work.expected_chapters,
            "is_complete": work.is_complete,
            "restricted": work.restricted,
            "comment_permission": work.comment_permission,
            "moderated_comments": work.moderated_comments,
            "critique_welcome": work.critique_welcome,
            "inline_comments": work.inline_comments,
            **ScheduleFields.schedule_initial(work),
        }

    def clean_co_creators(self) -> list[Pseud]:
        pseuds = []
        for reference in split_tag_list(self.cleaned_data.get("co_creators", "")):
            pseud = find_pseud(reference)
            if pseud is None:
                raise ValidationError(f"There is no user or pseud called “{reference}”.")
            pseuds.append(pseud)
        return pseuds

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.metadata = WorkMetadata(
            title=cleaned["title"],
            fandoms=split_tag_list(cleaned["fandoms"]),
            rating=cleaned["rating"],
            warnings=cleaned["warnings"],
            categories=cleaned["categories"],
            relationships=split_tag_list(cleaned["relationships"]),
            characters=split_tag_list(cleaned["characters"]),
            freeforms=split_tag_list(cleaned["freeforms"]),
            language=cleaned["language"],
            summary=cleaned["summary"],
            notes=cleaned["notes"],
            end_notes=cleaned["end_notes"],
            expected_chapters=cleaned["expected_chapters"],
            is_complete=cleaned["is_complete"],
            restricted=cleaned["restricted"],
            comment_permission=cleaned["comment_permission"] or CommentPermission.EVERYONE,
            moderated_comments=cleaned["moderated_comments"],
            critique_welcome=cleaned["critique_welcome"],
            inline_comments=cleaned["inline_comments"],
        )
        if "text" in self.fields:
            self.chapter = ChapterContent(
                text=cleaned["text"],
                text_format=cleaned["text_format"],
                title=cleaned["chapter_title"],
            )
        return cleaned

    @property
    def creators(self) -> list[Pseud]:
        return list(self.cleaned_data["pseuds"]) + self.cleaned_data["co_creators"]

    @property
    def loaded_revision(self) -> int | None:
        return self.cleaned_data.get("base_revision")


def _pseud_reference(pseud: Pseud) -> str:
    if pseud.name == pseud.user.username:
        return pseud.name
    return f"{pseud.name} ({pseud.user.username})"


def find_pseud(reference: str) -> Pseud | None:
    """A user's default pseud by user name, or "pseud (user)" for another of their pseuds."""
    reference = reference.strip()
    if reference.endswith(")") and "(" in reference:
        name, _, username = reference[:-1].rpartition("(")
        return (
            Pseud.objects.filter(name__iexact=name.strip(), user__username__iexact=username)
            .select_related("user")
            .first()
        )
    return (
        Pseud.objects.filter(user__username__iexact=reference, is_default=True)
        .select_related("user")
        .first()
    )


class ChapterForm(PlainLabelsMixin, _ServiceErrorsMixin, ScheduleFields):
    title = forms.CharField(label="Chapter title", required=False)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    notes = forms.CharField(
        label="Beginning notes", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    end_notes = forms.CharField(
        label="End notes", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    text_format = forms.ChoiceField(
        label="The text is written as", choices=TextFormat.choices, initial=TextFormat.HTML
    )
    text = forms.CharField(
        label="Chapter text",
        widget=forms.Textarea(attrs={"rows": 20, "class": "chapter-text"}),
        strip=False,
    )
    base_revision = _base_revision_field()
    submission_id = _submission_id_field()

    def __init__(self, *args, chapter=None, **kwargs):
        if chapter is not None:
            kwargs.setdefault("initial", self.initial_for(chapter))
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(chapter) -> dict:
        """The chapter as its author wrote it: plain text and Markdown as typed, HTML as
        stored (without the paragraph ids, which the server keeps itself)."""
        html_source = chapter.text_format == TextFormat.HTML or not chapter.text_source
        return {
            "title": chapter.title,
            "summary": chapter.summary,
            "notes": chapter.notes,
            "end_notes": chapter.end_notes,
            "text": strip_paragraph_ids(chapter.text) if html_source else chapter.text_source,
            "text_format": TextFormat.HTML if html_source else chapter.text_format,
            "base_revision": chapter.revision,
            **ScheduleFields.schedule_initial(chapter),
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.content = ChapterContent(
            text=cleaned["text"],
            text_format=cleaned["text_format"],
            title=cleaned["title"],
            summary=cleaned["summary"],
            notes=cleaned["notes"],
            end_notes=cleaned["end_notes"],
        )
        return cleaned

    @property
    def loaded_revision(self) -> int | None:
        return self.cleaned_data.get("base_revision")


class ReorderChaptersForm(PlainLabelsMixin, forms.Form):
    """One position box per chapter, so reordering works without JavaScript."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = list(chapters)
        for chapter in self.chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                label=chapter.full_title,
                min_value=1,
                max_value=len(self.chapters),
                initial=chapter.position,
            )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        positions = [cleaned[f"position_{chapter.pk}"] for chapter in self.chapters]
        if sorted(positions) != list(range(1, len(self.chapters) + 1)):
            raise ValidationError("Give each chapter a different position, from 1 up.")
        ordered = sorted(zip(positions, self.chapters, strict=True), key=lambda pair: pair[0])
        self.chapter_ids = [chapter.pk for _, chapter in ordered]
        return cleaned
