import os

from django.core.wsgi import get_wsgi_application

from alliedup.long_lived import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliedup.settings.base")
application = get_wsgi_application()
# Each gunicorn worker imports this module once: what it loaded stays for the worker's life.
freeze_startup_heap()
