"""Signals works sends so that apps above it can react, without works importing them.

They are sent inside the service's transaction. A receiver that starts background work must
do it in `transaction.on_commit`, with ids, so a task never sees a write that was rolled back.
"""

from django.dispatch import Signal

# A chapter's text or its details were saved (created, edited, posted). Arguments:
# chapter_id, work_id.
chapter_saved = Signal()

# A work's metadata changed (title, tags, creators…), or the work was posted. Argument: work_id.
work_changed = Signal()

# Chapters became readable: posted on a posted work, or posted with their work. Arguments:
# work_id, chapter_ids (the chapters posted now, in order), new_work (the work itself was just
# posted). Sent once per posting, never for edits: subscribers hear of each chapter once.
chapters_posted = Signal()
