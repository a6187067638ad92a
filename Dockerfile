# The production image: web (gunicorn + whitenoise), worker and beat all run it
# (docker-compose.yml). Settings come from the environment: alliedup.settings.production.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=alliedup.settings.production

# WeasyPrint (PDF documents) needs Pango, HarfBuzz and a font; gettext compiles the
# translations (locale/, not committed compiled).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin app

WORKDIR /app
COPY . .
# Dependencies and the apps; the commands run from /app (manage.py, templates, static).
RUN pip install . \
    && find locale -name '*.po' -execdir msgfmt --check -o django.mo {} \; \
    && rm -rf build *.egg-info \
    && mkdir -p /app/staticfiles /app/media \
    && chown app:app /app/staticfiles /app/media

USER app
EXPOSE 8000
CMD ["gunicorn", "alliedup.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
