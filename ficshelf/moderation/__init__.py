"""The archive's moderation: abuse reports of works, comments and users, the admins' queue,
and what admins do about them (hide a work, delete a comment, suspend or ban an account), each
action logged with who and why."""
