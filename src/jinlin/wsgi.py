"""WSGI entry point for gunicorn: `gunicorn jinlin.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinlin.settings")
application = get_wsgi_application()
