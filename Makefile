# Two commands: `make run` and `make test`. Everything they need is installed from the
# project's own files (uv.lock, package-lock.json); a second run only redoes what changed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
UV_VERSION := 0.13.8
UV := $(or $(shell command -v uv 2>/dev/null),.tools/uv/bin/uv)
PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py
PYTEST := $(PYTHON) -m pytest

.PHONY: help run dev test install pdf-libs migrate demo lint format messages clean bench loadtest backup restore

help:
	@echo "make run    install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install and run the whole suite (unit, websocket, browser)"
	@echo "make dev    like run, with a server that reloads when the code changes"
	@echo "make lint   ruff, Django's checks and the migrations check"
	@echo "make bench  benchmarks on the local PostgreSQL and Redis: bench/results/SUMMARY.md"
	@echo "make loadtest  USERS (200) members for DURATION (600) s, then every write checked"

# Links in mails (invitations, verification) point at the port actually served.
run dev: export BASE_URL ?= http://127.0.0.1:$(PORT)

# One process migrates, seeds and serves: the stack takes seconds to start, so once.
run: install
	$(MANAGE) serve 127.0.0.1:$(PORT)

test: install
	$(PYTEST) tests --ignore=tests/e2e
	scripts/ensure-chromium
	$(PYTEST) tests/e2e --screenshot=only-on-failure --output=var/test-results

install: pdf-libs .venv/.installed node_modules/.installed locale/nl/LC_MESSAGES/django.mo var/static/.collected

# The PDF export's system libraries (Pango, HarfBuzz, DejaVu): a quick check, silent when
# they are there; installed only when missing and this machine can, else it says what to do.
pdf-libs:
	@scripts/ensure-pdf-libs

# uv itself, only when the machine has none: into .tools/, leaving the system alone.
.tools/uv/bin/uv:
	python3 -m venv .tools/uv
	.tools/uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po .venv/.installed
	.venv/bin/pybabel compile --domain django --directory locale --locale $* --statistics

var/static/.collected: .venv/.installed node_modules/.installed $(shell find static -type f)
	$(MANAGE) collectstatic --noinput --verbosity 0
	@touch $@

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo

dev: demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Backups (README "Backups", config/backup.py): the database of DATABASE_URL (pg_dump or
# SQLite's online backup) and the uploaded files, into a new folder under BACKUP_DIR
# (default var/backups/). KEEP=N removes all but the newest N afterwards.
backup: install
	$(MANAGE) backup $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)") $(if $(KEEP),--keep $(KEEP))

# make restore BACKUP=var/backups/<time>: into an empty DATABASE_URL and storage folders,
# then migrate. FORCE=1 replaces a database and files that are already there.
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<time> [FORCE=1]" >&2; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(if $(FORCE),--force)

# Benchmarks (docs/performance.md): generates bench_small and bench_full when missing or
# stale, runs every scenario and writes bench/results/SUMMARY.md. BENCH_ARGS passes options
# (--profile-only small, --scenario pages, --quick). Environment, with defaults:
# BENCH_DATABASE_URL_FULL=postgres://postgres@127.0.0.1:5432/bench_full,
# BENCH_DATABASE_URL_SMALL=postgres://postgres@127.0.0.1:5432/bench_small,
# BENCH_REDIS_URL=redis://127.0.0.1:6379/9 (emptied by the runs), BENCH_PORT=8400.
bench: install
	$(PYTHON) -m bench.run $(BENCH_ARGS)

# Load test (docs/security.md): USERS simulated members for DURATION seconds against
# gunicorn + uvicorn on loopback, then every write is looked up in the database. Data:
# bench.generate's LOADTEST_PROFILE (tiny) in LOADTEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/loadtest); LOADTEST_REDIS_URL (redis://127.0.0.1:6379/10).
USERS ?= 200
DURATION ?= 600
loadtest: install
	USERS=$(USERS) DURATION=$(DURATION) $(PYTHON) -m bench.loadtest

# Developers: refresh the Dutch catalogue after changing strings (needs GNU gettext).
messages: install
	$(MANAGE) makemessages --locale nl --ignore '.venv/*' --ignore '.tools/*' --ignore 'node_modules/*' --ignore 'var/*' --no-obsolete

clean:
	rm -rf .venv .tools node_modules var/static locale/*/LC_MESSAGES/*.mo
