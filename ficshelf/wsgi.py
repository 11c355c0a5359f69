"""WSGI entry point: `gunicorn ficshelf.wsgi` or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
application = get_wsgi_application()
