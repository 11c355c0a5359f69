"""Accounts and pseuds: a person logs in with an account and is credited by pseud."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

# Names appear in URLs (/users/<name>/pseuds/<pseud>), so keep them URL-safe, as AO3 does.
username_validator = RegexValidator(
    r"^[A-Za-z0-9_]{3,40}$",
    "Use 3 to 40 letters, numbers or underscores.",
)
pseud_name_validator = RegexValidator(
    r"^[\w ]{1,40}$",
    "Use 1 to 40 letters, numbers, spaces or underscores.",
)


class AccountManager(UserManager):
    """Every account gets its default pseud, however it is made (sign-up, createsuperuser)."""

    def _create_user(self, username, email, password, **extra_fields):
        with transaction.atomic():
            user = super()._create_user(username, email, password, **extra_fields)
            Pseud.objects.create(user=user, name=user.username, is_default=True)
        return user


class User(AbstractUser):
    username = models.CharField(
        "user name",
        max_length=40,
        unique=True,
        validators=[username_validator],
        help_text="3 to 40 letters, numbers or underscores. This is your address on the archive.",
        error_messages={"unique": "That user name is already taken."},
    )
    email = models.EmailField("email address", unique=True)
    # Set by an admin (the moderation app, which logs who and why): until then the account may
    # log in and read, but not post, comment, give kudos or bookmark. A ban is `is_active=False`.
    suspended_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AccountManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="unique_username_ignoring_case"),
            models.UniqueConstraint(Lower("email"), name="unique_email_ignoring_case"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def default_pseud(self) -> "Pseud":
        return self.pseuds.get(is_default=True)


class PseudQuerySet(models.QuerySet):
    def for_user(self, user) -> "PseudQuerySet":
        return self.filter(user=user)


class Pseud(models.Model):
    """A name an account writes under. Every account has a default pseud named after it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=40, validators=[pseud_name_validator])
    description = models.TextField(blank=True, max_length=500)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PseudQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "user", name="unique_pseud_name_per_user"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="one_default_pseud_per_user",
            ),
        ]

    def __str__(self) -> str:
        if self.name == self.user.username:
            return self.name
        return f"{self.name} ({self.user.username})"

    def get_absolute_url(self) -> str:
        return reverse(
            "accounts:pseud", kwargs={"username": self.user.username, "pseud": self.name}
        )


class AccountSession(models.Model):
    """One logged-in browser of an account, so that the owner can see and end it.

    Written on login (accounts.sessions, from the user_logged_in signal) and deleted on logout
    or revocation; listing an account's sessions reads these rows, never the whole session
    store. The key is kept as the session store keeps it, in the same database, so that a
    revoked session can be deleted from the store itself."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A summary of the browser (its User-Agent, cut short) and a keyed hash of its address:
    # enough to tell one's own devices apart, not to track anyone.
    user_agent = models.CharField(max_length=200, blank=True)
    ip_hash = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"


# --- Sign-up by invitation or approval (accounts.signups) -------------------------------------


class Invitation(models.Model):
    """A single-use code that lets one person sign up while FICSHELF_SIGNUP_MODE is "invite".

    Only a SHA-256 of the code is kept (the code itself is shown once, to whoever made it, and
    sent by email): someone who reads the database cannot sign up with it. `hint` is the code's
    first characters, for telling invitations apart on the admins' page."""

    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=8, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Set when the invitation was sent from the queue of invite requests.
    sent_to = models.EmailField(blank=True)
    # Set when it is used. An invitation used with an address that already had an account
    # makes no account (and says nothing about it): used_at without used_by.
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation_used"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation {self.hint}…"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class InvitationAllowance(models.Model):
    """How many more invitations an account may make itself (none unless an admin gives some)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="invitation_allowance")
    remaining = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user}: {self.remaining} invitation(s)"


class InviteRequest(models.Model):
    """An address waiting in the queue for an invitation (AO3's "invite requests")."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.email


class AccountRequest(models.Model):
    """A sign-up waiting for an admin while FICSHELF_SIGNUP_MODE is "approval". Its account is
    made inactive at once (holding the user name) and gets its activation link only when
    approved; a rejected request deletes the account."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="account_request")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"
