"""Signals series sends so that apps above it can react, without series importing them.

Sent inside the service's transaction: a receiver that starts background work does it in
`transaction.on_commit`, with ids.
"""

from django.dispatch import Signal

# A posted work was put into a series (a draft is told of when it is posted, through
# works.signals.chapters_posted). Arguments: series_id, work_id.
work_added = Signal()
