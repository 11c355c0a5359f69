"""The admins' form for a news post: every 400-type error is found here."""

from datetime import datetime

from django import forms
from django.utils import timezone

from ficshelf.userstuff.formatting import TextRefused, notes_to_html
from ficshelf.userstuff.forms import PlainLabelsMixin

from .models import NewsPost

BODY_MAX = 50_000


class NewsPostForm(PlainLabelsMixin, forms.Form):
    PUBLISH, SCHEDULE, DRAFT = "publish", "schedule", "draft"

    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Text",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="HTML is allowed; blank lines make paragraphs.",
    )
    status = forms.ChoiceField(
        label="Publication",
        choices=[
            (PUBLISH, "Publish now (a published post keeps its date)"),
            (SCHEDULE, "Publish at the time below"),
            (DRAFT, "Keep as a draft (only admins see it)"),
        ],
        initial=PUBLISH,
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the archive's time zone. Only for “Publish at the time below”.",
    )

    @classmethod
    def for_post(cls, post: NewsPost, data=None) -> "NewsPostForm":
        if post.is_draft:
            status = cls.DRAFT
        elif post.is_scheduled:
            status = cls.SCHEDULE
        else:
            status = cls.PUBLISH
        initial = {
            "title": post.title,
            "body": post.body,
            "status": status,
            "publish_at": timezone.localtime(post.published_at) if post.is_scheduled else None,
        }
        return cls(data, initial=initial)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        try:
            html = notes_to_html(body)
        except TextRefused as refused:
            raise forms.ValidationError(str(refused), code="refused") from None
        if not html.strip():
            raise forms.ValidationError("Please write the post's text.", code="empty")
        return body

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        when: datetime | None = cleaned.get("publish_at")
        if status == self.SCHEDULE:
            if when is None:
                self.add_error("publish_at", "Please choose when to publish it.")
            elif when <= timezone.now():
                self.add_error("publish_at", "That time has passed. Please choose a later one.")
        return cleaned

    def service_arguments(self) -> dict:
        """What `publish_news_post` and `edit_news_post` take from this form."""
        status = self.cleaned_data["status"]
        return {
            "title": self.cleaned_data["title"],
            "body": self.cleaned_data["body"],
            "publish_at": self.cleaned_data["publish_at"] if status == self.SCHEDULE else None,
            "draft": status == self.DRAFT,
        }
