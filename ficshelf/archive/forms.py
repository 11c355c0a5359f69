"""What every form on the archive shares."""


class PlainLabelsMixin:
    """Labels without Django's trailing colon, so a label reads as the field's name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
