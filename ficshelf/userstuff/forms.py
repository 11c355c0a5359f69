"""What every form where people write shares (kept at the bottom layer: every app uses it)."""


class PlainLabelsMixin:
    """Labels without Django's trailing colon, so a label reads as the field's name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
