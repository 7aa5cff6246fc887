# One image for every Python service in compose.yaml (web, realtime, worker, migrate).
# syntax=docker/dockerfile:1

FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN pip install --no-cache-dir uv==0.13.8
# pg_dump and pg_restore for `manage.py backup` / `restore` (README "Backups"), of the
# server's major version: compose.yaml runs PostgreSQL 16 and Debian 12 ships client 15,
# which refuses a newer server. Debian's postgresql-common sets up the PostgreSQL apt
# repository with its bundled key. The PDF export (WeasyPrint) needs Pango, HarfBuzz,
# fontconfig and DejaVu Sans (scripts/ensure-pdf-libs checks the same on a dev machine).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
# The catalogue and the static files are built into the image, as `make install` does locally.
RUN pybabel compile --domain django --directory locale \
 && SECRET_KEY=image-build ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --system --uid 1000 --home-dir /app app \
 && mkdir -p var/media var/private var/backups \
 && chown -R app:app var
USER app
EXPOSE 8000 8001
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
