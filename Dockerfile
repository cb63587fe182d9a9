# The portal under gunicorn with production settings; static files served by WhiteNoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORT=8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal

WORKDIR /app
COPY pyproject.toml ./
COPY portal ./portal
COPY relations ./relations
RUN pip install --no-cache-dir .
COPY . .

# collectstatic needs settings to import; these build-time values never reach a running container.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost WAGTAILADMIN_BASE_URL=http://localhost \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media && chown -R portal:portal /app/media

USER portal
EXPOSE 8000
CMD ["sh", "-c", "gunicorn portal.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
