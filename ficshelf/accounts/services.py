"""Writes for accounts and pseuds."""

from django.db import transaction

from .models import Pseud, User, pseud_name_validator


@transaction.atomic
def sign_up(*, username: str, email: str, password: str) -> User:
    """Create an account with its default pseud. The password must already be validated."""
    return User.objects.create_user(username=username, email=email, password=password)


def create_default_pseud(*, user: User) -> Pseud:
    """The pseud named after the account, for accounts made outside `sign_up` (the admin)."""
    return Pseud.objects.create(user=user, name=user.username, is_default=True)


@transaction.atomic
def add_pseud(*, user: User, name: str, description: str = "") -> Pseud:
    # The form's rule, for every caller: a name is part of the pseud's URL (raises
    # ValidationError).
    pseud_name_validator(name)
    return Pseud.objects.create(user=user, name=name, description=description)


@transaction.atomic
def make_default_pseud(*, pseud: Pseud) -> Pseud:
    Pseud.objects.filter(user=pseud.user, is_default=True).update(is_default=False)
    Pseud.objects.filter(pk=pseud.pk).update(is_default=True)
    pseud.is_default = True
    return pseud
