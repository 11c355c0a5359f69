"""Ficshelf: a self-hostable archive for fan fiction and other serialized stories."""
