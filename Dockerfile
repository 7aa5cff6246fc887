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
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
# The catalogue and the static files are built into the image, as `make install` does locally.
RUN pybabel compile --domain django --directory locale \
 && SECRET_KEY=image-build ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --system --uid 1000 --home-dir /app app \
 && mkdir -p var/media \
 && chown -R app:app var
USER app
EXPOSE 8000 8001
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
