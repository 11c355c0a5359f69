"""A migration never applied: the readiness test points the archive app's migrations here."""
