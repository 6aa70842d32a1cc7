# The registry's image: one image for web (gunicorn), Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"

RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk gettext \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# collectstatic with the production (hashed, compressed) storage; it touches
# no database or broker, so placeholder values suffice at build time.
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build@build/build \
    REDIS_URL=redis://build:6379/0 STATIC_ROOT=/app/var/staticfiles python manage.py collectstatic --noinput \
    && useradd --system --home /app registry && mkdir -p /app/media && chown -R registry /app
USER registry

EXPOSE 8000
# web by default; docker-compose.yml runs `bin/serve worker|beat|migrate` from the same image.
CMD ["bin/serve", "web"]
