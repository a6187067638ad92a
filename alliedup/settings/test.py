"""Test settings: the real PostgreSQL and Redis (make test starts throwaway ones if needed)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alliedup")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
# Tests enqueue through the real broker only where they say so; elsewhere tasks run inline.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Tests read figures right after writing the data behind them: no dashboard cache (a test
# and the load benchmark turn it on explicitly).
os.environ.setdefault("INSIGHTS_CACHE_SECONDS", "0")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test process keeps its own cache (tests clear it freely) unless CACHE_URL names a shared
# one: bench.concurrent does, so the warm-up it runs is what gunicorn's workers read.
if not os.environ.get("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The suite signs staff in with force_login / client.login and no authenticator; the tests of
# the requirement (tests/alliedup/test_mfa.py, tests/e2e/test_mfa_journey.py) turn it on
# with the `settings` fixture. Production refuses an empty value (settings/production.py).
MFA_REQUIRED_ROLES = ()
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.backends.locmem.SMSBackend"
DEBUG = False
MEDIA_ROOT = "/tmp/alliedup-test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
