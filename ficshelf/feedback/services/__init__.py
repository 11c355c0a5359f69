"""Writes of the feedback app, atomic and self-guarding (each checks the caller may act).

Split by what they write: `comments` (threads, inline comments, moderation, reports),
`kudos`, `blocking` (blocks, mutes, hidden works). Every service that changes what a work's
pages show moves the work's content version on (`works.versions.bump_work`) in its transaction.
"""
