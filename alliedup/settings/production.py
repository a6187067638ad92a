"""Production: PostgreSQL, Redis, HTTPS. Differs from development by configuration only.

Required: SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS, DATABASE_URL, REDIS_URL.
Passes `manage.py check --deploy` with no warnings.
"""

import os

from django.core.exceptions import ImproperlyConfigured

for _name in ("DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in production")
if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
    raise ImproperlyConfigured("SECRET_KEY or SECRET_KEY_FILE must be set in production")
# The demo's switch for staff two-factor sign-in (settings/base.py) has no place here, whatever its value.
if os.environ.get("DEMO_SKIP_STAFF_MFA", "").strip():
    raise ImproperlyConfigured("DEMO_SKIP_STAFF_MFA is for the demo of `make run` only; remove it from production's environment")
os.environ.setdefault("DEBUG", "false")

from .base import *  # noqa: E402,F403
from .base import MFA_REQUIRED_ROLES, MFA_REQUIRED_ROLES_STAFF_AND_BOARD, SECRET_KEY, env  # noqa: E402

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG must be false in production")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a long random value (50+ characters)")

# Design: MFA for staff and board. Production may require it of more roles, never fewer.
_mfa_missing = sorted(set(MFA_REQUIRED_ROLES_STAFF_AND_BOARD) - set(MFA_REQUIRED_ROLES))
if _mfa_missing:
    raise ImproperlyConfigured(
        f"MFA_REQUIRED_ROLES must include {', '.join(_mfa_missing)} in production "
        "(two-factor authentication is required of staff and board)"
    )

CELERY_TASK_ALWAYS_EAGER = False
# One cache for every gunicorn and Celery worker (the insights dashboards' figures, warmed by
# the beat): Redis at CACHE_URL or REDIS_URL, as settings/base.py sets it; never per process.
if not CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    raise ImproperlyConfigured("production needs the Redis cache (CACHE_URL or REDIS_URL)")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONN_MAX_AGE = 60
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
