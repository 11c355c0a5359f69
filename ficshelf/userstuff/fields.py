"""A model field for creators' HTML that can never hold unsanitized markup."""

from django.db import models

from .paragraphs import clean_numbered_html
from .sanitizer import SANITIZER_VERSION, clean_html


class SanitizedHTMLField(models.TextField):
    """Text cleaned by the allowlist on every save, with the rules' version kept beside it.

    `version_field` names a PositiveSmallIntegerField on the same model that records which
    version of the rules cleaned this field, so old content can be found and re-cleaned.

    `keeps_paragraph_ids` is for text the server numbers (chapter text): its `data-p` ids
    survive every save, while everything else is cleaned as usual. What a creator sends must
    still go through `clean_html` first, so that a creator cannot forge an id.
    """

    def __init__(self, *args, version_field: str, keeps_paragraph_ids: bool = False, **kwargs):
        self.version_field = version_field
        self.keeps_paragraph_ids = keeps_paragraph_ids
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["version_field"] = self.version_field
        if self.keeps_paragraph_ids:
            kwargs["keeps_paragraph_ids"] = True
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        clean = clean_numbered_html if self.keeps_paragraph_ids else clean_html
        value = clean(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        setattr(model_instance, self.version_field, SANITIZER_VERSION)
        return value
