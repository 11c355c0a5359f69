"""Signals feedback sends so that apps above it (the inbox, the author's statistics) can react,
without feedback importing them. Sent inside the service's transaction: a receiver that starts
background work does it in `transaction.on_commit`, with ids.
"""

from django.dispatch import Signal

# A comment was saved new: published, or awaiting a creator's approval (see its status).
# Arguments: comment_id, work_id.
comment_posted = Signal()

# A comment that was waiting was approved by a creator, and is now published. Arguments:
# comment_id, work_id.
comment_approved = Signal()

# Kudos were left on a work or a chapter. Arguments: kudos_id, work_id.
kudos_given = Signal()
