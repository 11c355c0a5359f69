"""downloads models."""
