"""Error reports (Django's debug page, error emails) that never show a password.

Django's filter hides settings whose names look secret (PASSWORD, SECRET_KEY, …), but not
DATABASE_URL or CACHES["default"]["LOCATION"], which hold a password inside a URL.
"""

import re

from django.views import debug

# scheme://user:password@host: the password, up to the last "@" before the path.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^\s/?#]*(?=@)", re.I)
# A libpq-style DSN ("host=db password=…") or a URL's query string (?password=…).
_KEYWORD_PASSWORD = re.compile(r"(?P<head>\b(?:password|passwd|pwd)=)[^\s&;]+", re.I)
# Settings named like a URL: hidden, unless a path such as STATIC_URL or LOGIN_URL (no "://").
_URL_NAME = re.compile(r"_UR[LI]$", re.I)


class SafeExceptionReporterFilter(debug.SafeExceptionReporterFilter):
    """Also hides URL and DSN settings, and any password written inside a URL or a DSN."""

    hidden_settings = re.compile(
        r"API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DSN|_UR[LI]$", re.I
    )

    def hide_passwords(self, text: str) -> str:
        text = _URL_PASSWORD.sub(rf"\g<head>{self.cleansed_substitute}", text)
        return _KEYWORD_PASSWORD.sub(rf"\g<head>{self.cleansed_substitute}", text)

    def cleanse_setting(self, key, value):
        """Settings and request.META: the parent's masking, then passwords inside strings.

        Nested dicts and lists (DATABASES, CACHES) come back through here item by item.
        """
        if isinstance(key, str) and isinstance(value, str):
            if _URL_NAME.search(key) and "://" not in value:
                return self.hide_passwords(value)  # a path: useful when debugging
        value = super().cleanse_setting(key, value)
        if isinstance(value, str):
            value = self.hide_passwords(value)
        return value

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.hide_passwords(value) if isinstance(value, str) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
