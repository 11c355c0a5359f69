"""Deletions that happen outside the services: deleting a pseud (or the account, which deletes
its pseuds) deletes its bookmarks by cascade; their works' counts move down first."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from ficshelf.accounts.models import Pseud

from .services import forget_bookmarks_of_pseud


@receiver(pre_delete, sender=Pseud, dispatch_uid="bookmarks.pseud_deleted")
def _pseud_deleted(sender, instance, **kwargs):
    forget_bookmarks_of_pseud(instance)
