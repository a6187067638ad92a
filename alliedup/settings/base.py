"""Settings shared by every run mode, read from the environment (django-environ).

With nothing set this is the demo mode of `make run`: SQLite in the project folder and
Celery tasks run eagerly in-process. Set DATABASE_URL / REDIS_URL for PostgreSQL, a Redis
broker and real workers (docker-compose, production). Bad values raise ImproperlyConfigured.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def env_secret(name: str, default: str | None = None) -> str | None:
    """Return env NAME, or the contents of the file named by NAME_FILE, or default."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from exc
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env_secret("SECRET_KEY", "dev-insecure-key-only-for-the-local-demo-do-not-deploy")
# Former keys, comma-separated: sessions signed with them stay valid, and ballots held during
# a vote were sealed with the key of their day (governance/services/ballot_box.py); keep an
# old key here until every vote open when it changed has been counted.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# JSON under /api/, Django's page elsewhere (alliedup/api/errors.py).
CSRF_FAILURE_VIEW = "alliedup.api.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "alliedup",
    "worktime",
    "members",
    "placements",
    "payroll",
    "patronage",
    "governance",
    "insights",
    "notifications",
    "onboarding",
    "seeding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language cookie (the switch), else the browser's Accept-Language, else LANGUAGE_CODE.
    "alliedup.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's saved language wins over the cookie and the browser (needs request.user).
    "alliedup.i18n.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Opens the cooperative scope around the view (and the template rendering).
    "alliedup.tenancy.middleware.CooperativeScopeMiddleware",
    # Needs request.cooperative: staff and board of that co-op must have TOTP (MFA_REQUIRED_ROLES).
    "alliedup.mfa.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "alliedup.urls"
WSGI_APPLICATION = "alliedup.wsgi.application"
ASGI_APPLICATION = "alliedup.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliedup.context_processors.cooperative",
            ],
            "builtins": ["alliedup.templatetags.coop", "django.contrib.humanize.templatetags.humanize"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en"
# The worker portal, job board, worker emails and worker PDFs are in English and Spanish
# (locale/es/); staff pages are English first.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Numbers keep the US decimal point in Spanish too (alliedup/formats/es/), as money does.
FORMAT_MODULE_PATH = ["alliedup.formats"]
TIME_ZONE = "UTC"  # stored in UTC; each cooperative's own zone cuts workdays and workweeks
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Accounts (django-allauth): email login, verification, password reset, TOTP MFA ---
SITE_NAME = env.str("SITE_NAME", default="Co-op Ops")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
AUTH_USER_MODEL = "alliedup.User"
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Roles that must have an active TOTP authenticator before they use their cooperative's
# pages or API (alliedup.mfa): staff and the board. Comma-separated; empty turns the
# requirement off (the test settings do; production refuses to drop any of these four).
# Unknown role names stop the start (alliedup.apps).
MFA_REQUIRED_ROLES_STAFF_AND_BOARD = ("admin", "coordinator", "payroll", "board")
MFA_REQUIRED_ROLES = tuple(
    name.strip()
    for name in env.list("MFA_REQUIRED_ROLES", default=list(MFA_REQUIRED_ROLES_STAFF_AND_BOARD))
    if name.strip()
)
# DEMO ONLY: `make run` sets DEMO_SKIP_STAFF_MFA=true so a visitor can look around as staff or
# board without an authenticator app; every page then tells them "Demo: two-factor sign-in is
# off". It drops the staff and board roles from MFA_REQUIRED_ROLES. Production refuses to
# start with it set (settings/production.py).
DEMO_SKIP_STAFF_MFA = env.bool("DEMO_SKIP_STAFF_MFA", default=False)
if DEMO_SKIP_STAFF_MFA:
    MFA_REQUIRED_ROLES = tuple(r for r in MFA_REQUIRED_ROLES if r not in MFA_REQUIRED_ROLES_STAFF_AND_BOARD)

# Invitations that link a record another app keeps (alliedup.services; named here, as strings,
# so the core imports no domain app). By role, the service the Team page and the invitations
# API invite through, which finds the record or refuses with a message saying what to do;
# called with (cooperative=, email=, invited_by=). Then the hooks that link a record when an
# invitation is accepted, inside the acceptance's transaction (a refusal there accepts
# nothing); each is called with (invitation=, user=) and ignores invitations not its own.
INVITATION_RECORD_SERVICES = {"worker": "members.services.accounts.worker_invite_by_email"}
INVITATION_ACCEPTANCE_LINKS = (
    "members.services.accounts.worker_invitation_accepted",
    "placements.services.contacts.client_contact_invitation_accepted",
)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages to workers who opt in (notifications/sms/): a dotted backend path, like
# EMAIL_BACKEND. Console (stdout) by default; notifications.sms.backends.twilio.SMSBackend
# speaks Twilio's Messages API at SMS_TWILIO_BASE_URL (or any service with the same API).
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.backends.console.SMSBackend")
SMS_FROM_NUMBER = env.str("SMS_FROM_NUMBER", default="")
SMS_TWILIO_ACCOUNT_SID = env.str("SMS_TWILIO_ACCOUNT_SID", default="")
SMS_TWILIO_AUTH_TOKEN = env_secret("SMS_TWILIO_AUTH_TOKEN", "")
SMS_TWILIO_BASE_URL = env.str("SMS_TWILIO_BASE_URL", default="https://api.twilio.com")
SMS_TIMEOUT_SECONDS = env.int("SMS_TIMEOUT_SECONDS", default=10)

# --- API (DRF + drf-spectacular) ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "alliedup.api.errors.exception_handler",
    # JSON only: the browsable API would answer a browser's errors with an HTML page, and the
    # API never answers HTML (alliedup/api/errors.py); /api/docs/ is the interactive way in.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Co-op Ops API",
    "DESCRIPTION": "Operations platform for worker-owned staffing cooperatives. "
    "Every tenant route lives under /api/v1/c/{coop_slug}/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files (sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set (drf-spectacular warns, and check --deploy counts it).
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "alliedup.models.Role",
        "MemberStatusEnum": "members.models.MemberStatus",
        "CandidacyStatusEnum": "members.models.Candidacy.Status",
        "ClientContractStatusEnum": "placements.models.ClientContract.Status",
        "ShiftStatusEnum": "placements.models.Shift.Status",
        "AssignmentStatusEnum": "placements.models.Assignment.Status",
        "TimesheetStatusEnum": "placements.models.Timesheet.Status",
        "ApplicantStatusEnum": "placements.models.Applicant.Status",
        "InvoiceStatusEnum": "placements.models.Invoice.Status",
        "InvoiceLineKindEnum": "placements.models.InvoiceLine.Kind",
        "ShiftChangeKindEnum": "placements.models.ShiftChangeRequest.Kind",
        "ShiftChangeStatusEnum": "placements.models.ShiftChangeRequest.Status",
        "AgreementStatusEnum": "payroll.models.CollectiveAgreement.Status",
        "StepBasisEnum": "payroll.models.CollectiveAgreement.StepBasis",
        "DuesKindEnum": "payroll.models.CollectiveAgreement.DuesKind",
        "DifferentialKindEnum": "payroll.models.ShiftDifferential.Kind",
        "DifferentialBasisEnum": "payroll.models.ShiftDifferential.Basis",
        "PayRunStatusEnum": "payroll.models.PayRun.Status",
        "PayLineKindEnum": "payroll.models.PayLine.Kind",
        "PayDeductionKindEnum": "payroll.models.PayDeduction.Kind",
        "SickLeaveKindEnum": "payroll.models.SickLeaveEntry.Kind",
        "SickLeaveRequestStatusEnum": "payroll.models.SickLeaveRequest.Status",
        "PayRunExceptionKindEnum": "payroll.serializers.RUN_EXCEPTION_KINDS",
        "ElectionStatusEnum": "governance.models.Election.Status",
        "ElectionMethodEnum": "governance.models.Election.Method",
        "CandidateStatusEnum": "governance.models.Candidate.Status",
        "ResolutionStatusEnum": "governance.models.Resolution.Status",
        "ResolutionThresholdEnum": "governance.models.Resolution.Threshold",
        "BallotChoiceEnum": "governance.models.ResolutionBallot.Choice",
        "BoardSeatKindEnum": "governance.models.BoardSeat.Kind",
        "TermSourceEnum": "governance.models.BoardTerm.Source",
        "DocumentKindEnum": "governance.models.GovernanceDocument.Kind",
        "CommitteeKindEnum": "governance.models.Committee.Kind",
        "CommitteeSideEnum": "governance.models.CommitteeMember.Side",
        "FiscalYearStatusEnum": "patronage.models.FiscalYear.Status",
        "PatronageAllocationStatusEnum": "patronage.models.PatronageAllocation.Status",
        # The same choices as alliedup.models.Cooperative.PatronageBasis: one name for both.
        "PatronageBasisEnum": "patronage.models.PatronageAllocation.Basis",
        "CapitalAccountEntryKindEnum": "patronage.models.CapitalAccountEntry.Kind",
        "RedemptionReasonEnum": "patronage.models.RedemptionSchedule.Reason",
        "RedemptionPartEnum": "patronage.models.RedemptionInstallment.Part",
    },
}

# --- Celery (Redis broker when REDIS_URL is set; eager in-process otherwise) ---
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
SITE_DOMAIN = env.str("SITE_DOMAIN", default="127.0.0.1:8000")
# The insights dashboards cache each report's figures per co-op and period this long (0: off),
# so twenty people opening the dashboard do not each re-aggregate the year. Every
# INSIGHTS_WARM_SECONDS (shorter) the beat's insights-warm-reports computes the periods the
# pages open with before their entries expire (insights.reports.warm_reports).
INSIGHTS_CACHE_SECONDS = env.int("INSIGHTS_CACHE_SECONDS", default=300)
INSIGHTS_WARM_SECONDS = env.int("INSIGHTS_WARM_SECONDS", default=max(1, INSIGHTS_CACHE_SECONDS * 4 // 5))
if INSIGHTS_CACHE_SECONDS < 0 or INSIGHTS_WARM_SECONDS < 1:
    raise ImproperlyConfigured("INSIGHTS_CACHE_SECONDS must be 0 (off) or more, INSIGHTS_WARM_SECONDS 1 or more")
if INSIGHTS_CACHE_SECONDS and INSIGHTS_WARM_SECONDS >= INSIGHTS_CACHE_SECONDS:
    raise ImproperlyConfigured(
        f"INSIGHTS_WARM_SECONDS ({INSIGHTS_WARM_SECONDS}) must be shorter than INSIGHTS_CACHE_SECONDS ({INSIGHTS_CACHE_SECONDS})"
    )
# One cache for every process when Redis is there (gunicorn's workers read what the Celery
# worker's warm_reports wrote; allauth's rate limits hold across workers); each process its
# own memory otherwise (`make run`: one process, tasks run in it).
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="coop-ops"),
    } if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# A pay run whose period holds more approved timesheets than this is calculated by the Celery
# worker (the run screen refreshes until it is done); smaller ones at once, in the request.
PAYRUN_INLINE_TIMESHEETS = env.int("PAYRUN_INLINE_TIMESHEETS", default=3000)

# Per-co-op jobs: beat queues alliedup.tasks.fan_out, which queues the task once per active
# cooperative; each task works out "today" in its co-op's own time zone. The database
# scheduler (django-celery-beat) picks these up and lets operators adjust them in the admin.
from datetime import timedelta  # noqa: E402

from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "insights-warm-reports": {
        "task": "alliedup.tasks.fan_out",
        # Shorter than INSIGHTS_CACHE_SECONDS, and each run writes for both together, so the
        # dashboards' default periods are always in the cache (a no-op with the cache off).
        "schedule": timedelta(seconds=INSIGHTS_WARM_SECONDS),
        "args": ["insights.tasks.warm_reports_task"],
    },
    "governance-vote-windows": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(minute="*/5"),  # votes open and close within five minutes of their windows
        "args": ["governance.tasks.vote_windows_task"],
    },
    "members-eligibility-sweep": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=10, minute=0),  # 02:00 in California
        "args": ["members.tasks.eligibility_sweep_task"],
    },
    "members-candidacy-expiry": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=10, minute=30),
        "args": ["members.tasks.candidacy_expiry_task"],
    },
    "members-retention-check": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=11, minute=0),
        "args": ["members.tasks.retention_check_task"],
    },
    "members-retention-warning": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=16, minute=0),  # 08:00 in California
        "args": ["members.tasks.retention_warning_task"],
    },
    "placements-credential-expiry": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=12, minute=0),  # 04:00 in California
        "args": ["placements.tasks.credential_expiry_task"],
    },
    "placements-shift-reminders": {
        "task": "alliedup.tasks.fan_out",
        # Hourly: each run reminds of confirmed shifts starting within 24 hours, once each.
        "schedule": crontab(minute=5),
        "args": ["placements.tasks.shift_reminder_task"],
    },
    "members-installment-reminders": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=16, minute=15),
        "args": ["members.tasks.installment_reminder_task"],
    },
    # Worker notifications (docs/notifications.md: each app's notices.py, and notifications/tasks.py
    # for those reading only members); each sends once per subject.
    "notifications-open-shift-digest": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=15, minute=0),  # 07:00 in California (08:00 in summer)
        "args": ["placements.notices.open_shift_digest_task"],
    },
    "notifications-credential-expiring": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=16, minute=30),
        "args": ["notifications.tasks.credential_expiring_task"],
    },
    "notifications-candidacy-steps": {
        "task": "alliedup.tasks.fan_out",
        "schedule": crontab(hour=16, minute=45),
        "args": ["notifications.tasks.candidacy_steps_task"],
    },
    "notifications-voting-closing": {
        "task": "alliedup.tasks.fan_out",
        # Hourly: each run reminds voters of votes closing within 24 hours, once each.
        "schedule": crontab(minute=20),
        "args": ["governance.notices.voting_closing_task"],
    },
}
