"""The report form, and the admins' action forms (each asks why, for the log)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from .models import DESCRIPTION_MAX, REASON_MAX, ReportCategory, ReportKind, ReportStatus


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label="What is wrong?", choices=ReportCategory.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Tell the admins about it",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Plain text, at most {DESCRIPTION_MAX:,} characters. Only admins read it.",
        error_messages={
            "required": "Please tell the admins what is wrong.",
            "max_length": f"Please keep it under {DESCRIPTION_MAX:,} characters.",
        },
    )
    email = forms.EmailField(
        label="Your email address",
        required=False,
        help_text="So the admins can answer you. It is never shown to anyone else.",
    )

    def __init__(self, *args, guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if guest:
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = (
                "Please give your email address, so the admins can answer."
            )
        else:
            del self.fields["email"]


class ActionForm(forms.Form):
    reason = forms.CharField(
        label="Reason (for the log)",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please give the reason, for the log."},
    )
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SuspendForm(ActionForm):
    days = forms.IntegerField(
        label="Suspend for how many days?",
        min_value=1,
        max_value=3650,
        initial=7,
        error_messages={"required": "Please say for how many days."},
    )

    def until(self):
        return timezone.now() + timedelta(days=self.cleaned_data["days"])


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[*ReportStatus.choices, ("all", "All")], required=False, initial="open"
    )
    kind = forms.ChoiceField(choices=[("", "All"), *ReportKind.choices], required=False)
