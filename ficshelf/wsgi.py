"""WSGI entry point: `granian --interface wsgi ficshelf.wsgi:application`, or any WSGI server.

Django's handler, with guests' cached pages answered in front of it (archive.fast_pages)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
django.setup(set_prefix=False)  # as django.core.wsgi.get_wsgi_application does

from ficshelf.archive.fast_pages import ArchiveHandler  # noqa: E402  (needs the apps loaded)

application = ArchiveHandler()
