"""A model field for creators' HTML that can never hold unsanitized markup."""

from django.db import models

from .sanitizer import SANITIZER_VERSION, clean_html


class SanitizedHTMLField(models.TextField):
    """Text cleaned by the allowlist on every save, with the rules' version kept beside it.

    `version_field` names a PositiveSmallIntegerField on the same model that records which
    version of the rules cleaned this field, so old content can be found and re-cleaned.
    """

    def __init__(self, *args, version_field: str, **kwargs):
        self.version_field = version_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["version_field"] = self.version_field
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        setattr(model_instance, self.version_field, SANITIZER_VERSION)
        return value
