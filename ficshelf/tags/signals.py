"""Signals that tags sends for the apps above it (tags imports none of them)."""

from django.dispatch import Signal

# Sent inside a wrangling service's transaction with `tag_ids`: the tags whose place in the tag
# graph changed (merged, unmerged, given or losing a parent). Works tagged under any of them
# may now be found under other tags: works recomputes their filter tags and moves the page
# cache versions.
tags_wrangled = Signal()
