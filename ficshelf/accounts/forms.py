"""Forms for accounts and pseuds: every 400-type error is raised here."""

from datetime import timedelta

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import SetPasswordMixin
from django.utils import timezone

from ficshelf.userstuff.forms import PlainLabelsMixin as _PlainLabels

from . import signups
from .models import Pseud, User, pseud_name_validator, username_validator

# Names that would clash with the archive's own URLs: /users/login, /users/<name>/pseuds/new.
# A user name is also the default pseud's name, so it may not be "new" either.
RESERVED_USERNAMES = frozenset({"login", "logout", "password", "new", "activate"})
RESERVED_PSEUD_NAMES = frozenset({"new"})


class SignUpForm(_PlainLabels, SetPasswordMixin, forms.Form):
    username = forms.CharField(
        label="User name",
        max_length=40,
        validators=[username_validator],
        help_text="3 to 40 letters, numbers or underscores. This is your address on the archive.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="For resetting your password. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(label2="Confirm password")
    # Only while FICSHELF_SIGNUP_MODE is "invite" (see __init__).
    invitation_code = forms.CharField(
        label="Invitation code",
        max_length=64,
        help_text="From your invitation email. Opening its link fills it in.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, invitation_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not invitation_required:
            del self.fields["invitation_code"]

    def clean_invitation_code(self) -> str:
        code = self.cleaned_data["invitation_code"].strip()
        try:
            signups.find_invitation(code)
        except signups.InvitationRefused as refused:
            raise forms.ValidationError(str(refused), code="invitation") from None
        return code

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username.lower() in RESERVED_USERNAMES:
            raise forms.ValidationError("That user name is reserved.", code="reserved")
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That user name is already taken.", code="taken")
        return username

    def clean_email(self) -> str:
        # Whether the address has an account is never said here (accounts.signups).
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned_data = super().clean()
        self.validate_passwords()
        # The similarity validator compares the password with the name and address.
        candidate = User(username=cleaned_data.get("username"), email=cleaned_data.get("email"))
        self.validate_password_for_user(candidate)
        return cleaned_data


class LogInForm(_PlainLabels, auth_forms.AuthenticationForm):
    """Log in with the user name in any case, or with the email address, as on AO3."""

    username = auth_forms.UsernameField(
        label="User name or email",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "The user name or password is incorrect.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Long enough for an email address, not only a user name.
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254

    def clean_username(self) -> str:
        given = self.cleaned_data["username"]
        field = "email__iexact" if "@" in given else "username__iexact"
        stored = User.objects.filter(**{field: given}).values_list("username", flat=True).first()
        return stored or given


class PasswordChangeForm(_PlainLabels, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(_PlainLabels, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(_PlainLabels, auth_forms.SetPasswordForm):
    pass


class PseudForm(_PlainLabels, forms.Form):
    name = forms.CharField(
        max_length=40,
        validators=[pseud_name_validator],
        help_text="1 to 40 letters, numbers, spaces or underscores.",
    )
    description = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the pseud's page. Plain text, up to 500 characters.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if name.lower() in RESERVED_PSEUD_NAMES:
            raise forms.ValidationError("That pseud name is reserved.", code="reserved")
        if Pseud.objects.for_user(self.user).filter(name__iexact=name).exists():
            raise forms.ValidationError(f"You already have a pseud called “{name}”.", code="taken")
        return name


# --- Invitations and approval -----------------------------------------------------------------


class InviteRequestForm(_PlainLabels, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send your invitation here. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class _ExpiryMixin(forms.Form):
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=3650,
        help_text="Leave empty for an invitation that never expires.",
    )

    def expires_at(self):
        days = self.cleaned_data.get("expires_in_days")
        return timezone.now() + timedelta(days=days) if days else None


class CreateInvitationsForm(_PlainLabels, _ExpiryMixin):
    count = forms.IntegerField(
        label="How many",
        min_value=1,
        max_value=signups.MAX_INVITATIONS_AT_ONCE,
        initial=1,
    )


class InviteFromQueueForm(_PlainLabels, _ExpiryMixin):
    """Invite the oldest `count` waiting addresses, or the one named by `request_id`."""

    count = forms.IntegerField(
        label="Invite the oldest", required=False, min_value=1, max_value=100, initial=10
    )
    request_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("count") and not cleaned.get("request_id"):
            raise forms.ValidationError("Say how many addresses to invite.")
        return cleaned


class OwnInvitationForm(_PlainLabels, _ExpiryMixin):
    pass


# --- Admin ------------------------------------------------------------------------------------


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
