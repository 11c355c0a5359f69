"""The inbox's forms: every 400-type error of its pages is found here."""

from django import forms
from django.contrib.auth import get_user_model

from ficshelf.feedback.models import COMMENT_MAX
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from .models import DEFAULT_DELIVERY, Delivery, ItemKind, Topic


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Show", choices=[("", "Everything"), *ItemKind.choices], required=False
    )


class ItemActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("read", "Mark read"), ("unread", "Mark unread"), ("delete", "Delete")],
        error_messages={"invalid_choice": "Please choose what to do with it."},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Reply",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please write something in your reply."},
    )


class SubscriptionForm(forms.Form):
    """What a Subscribe or Unsubscribe button names: a work, a creator's account, or (to
    unsubscribe from a work one may no longer read) the subscription itself."""

    work = forms.IntegerField(required=False, min_value=1)
    subscription = forms.IntegerField(required=False, min_value=1)
    creator = forms.CharField(required=False, max_length=150)
    next = forms.CharField(required=False)

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_work(self):
        work_id = self.cleaned_data.get("work")
        if work_id is None:
            return None
        # The policy's list of works the viewer may hear of: a draft is "no such work".
        work = (
            Work.objects.visible_to(self.viewer, Way.NOTIFY)
            .prefetch_related("creatorships__pseud")
            .filter(pk=work_id)
            .first()
        )
        if work is None:
            raise forms.ValidationError("There is no such work.", code="no_work")
        return work

    def clean_creator(self):
        name = self.cleaned_data.get("creator")
        if not name:
            return None
        account = get_user_model().objects.filter(username=name, is_active=True).first()
        if account is None:
            raise forms.ValidationError(f"There is no account called {name}.", code="no_account")
        return account

    def clean(self):
        cleaned = super().clean()
        targets = [cleaned.get(name) for name in ("work", "creator", "subscription")]
        if not self.errors and sum(bool(target) for target in targets) != 1:
            raise forms.ValidationError("Please choose a work or a creator.", code="target")
        return cleaned


class EmailChoicesForm(forms.Form):
    """At once, in a daily digest, or never: one choice per topic."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        for topic in Topic:
            self.fields[topic.value] = forms.ChoiceField(
                label=topic.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.delivery(topic) if current else DEFAULT_DELIVERY[topic],
                error_messages={"required": "Please choose how this reaches you."},
            )
