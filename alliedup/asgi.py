import os

from django.core.asgi import get_asgi_application

from alliedup.long_lived import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliedup.settings.base")
application = get_asgi_application()
freeze_startup_heap()  # as alliedup/wsgi.py
