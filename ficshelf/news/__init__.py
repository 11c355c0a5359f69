"""The archive's news: posts by its admins to everyone who uses it."""
