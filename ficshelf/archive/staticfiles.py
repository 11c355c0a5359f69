"""Static files in production: collected, named by their content, compressed once.

With DEBUG off, `collectstatic` (run by `make serve` and the systemd unit before the server
starts) writes each file under a name that carries a hash of its content, a gzip and a Brotli
copy, and a manifest; WhiteNoise serves them from STATIC_ROOT, the hashed names with headers
that let browsers and proxies keep them for ever. Pages name the hashed files only while the
manifest is current (settings.STATIC_COLLECTED); before collectstatic has run, or after a static
file changed, they name the files as they are and WhiteNoise finds them where they live.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class CollectedStaticStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        if not settings.STATIC_COLLECTED:
            return StaticFilesStorage.url(self, name)
        return super().url(name, force)
