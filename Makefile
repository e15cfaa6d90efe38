# CeDS: `make run` serves the demo, `make test` runs every check. Both set up what they
# need from nothing and skip steps already done (stamp files in .stamps/).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
JOBS ?= 2
PYTEST_ARGS ?=
APT_RUN := gettext
# The production topology on one machine (make prod, make prod-check): HAProxy in front of gunicorn.
APT_PROD := gettext haproxy
APT_TEST := gettext chromium fonts-noto-core fonts-noto-cjk poppler-utils libharfbuzz-subset0 libreoffice-calc-nogui python3-uno qpdf

.PHONY: run test lint format bench load clean messages prod prod-reload prod-check

$(STAMPS):
	mkdir -p $(STAMPS)

$(STAMPS)/venv-run: requirements.txt | $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(STAMPS)/venv-dev: requirements.txt requirements-dev.txt | $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(STAMPS)/venv-run

# Debian packages: installed when we are root, otherwise listed for the operator.
$(STAMPS)/apt-%: | $(STAMPS)
	@pkgs="$(if $(filter test,$*),$(APT_TEST),$(if $(filter prod,$*),$(APT_PROD),$(APT_RUN)))"; \
	missing=$$(for p in $$pkgs; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then touch $@; \
	elif [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) && touch $@; \
	else echo "Not root: please install these Debian packages: $$missing"; fi

# axe-core for the accessibility checks in the browser tests (npm registry, pinned by the lock file).
$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --silent
	touch $@

run: $(STAMPS)/venv-run $(STAMPS)/apt-run
	$(PY) manage.py migrate --noinput
	$(MAKE) --no-print-directory messages
	$(PY) manage.py load_content
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMPS)/venv-dev $(STAMPS)/apt-test $(STAMPS)/npm
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	CEDS_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory messages
	$(PY) manage.py validate_content
	CEDS_TESTING=1 HYPOTHESIS_PROFILE=ci $(VENV)/bin/pytest -n $(JOBS) --durations=25 $(PYTEST_ARGS)

# Compile the gettext catalogues under locale/ (the .mo files are built, never committed).
messages:
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v0; fi

lint: $(STAMPS)/venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(STAMPS)/venv-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

$(STAMPS)/venv-bench: requirements-bench.txt $(STAMPS)/venv-dev
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

# The performance budgets at 100 and 10,000 cities (PostgreSQL at BENCH_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/ceds_bench_pages, dropped and recreated); see docs/performance.md.
bench: $(STAMPS)/venv-bench $(STAMPS)/apt-test
	$(MAKE) --no-print-directory messages
	$(PY) bench/run.py

# The production topology (docs/production.md): HAProxy on https://127.0.0.1:8110 in front of two
# gunicorn app servers, a Celery worker and beat, on PostgreSQL and Redis (DATABASE_URL, REDIS_URL,
# CELERY_BROKER_URL; by default the local services). Restarts what dies; Ctrl-C stops everything.
prod: $(STAMPS)/venv-run $(STAMPS)/apt-prod
	deploy/prod.sh run

# Graceful reload of the running topology: HUP to each gunicorn master (new workers, new code).
prod-reload:
	deploy/prod.sh reload

# The fault test and the backup-and-restore drill (deploy/prod-check.sh), at most three minutes.
prod-check: $(STAMPS)/venv-run $(STAMPS)/apt-prod
	$(MAKE) --no-print-directory messages
	deploy/prod-check.sh

# Requests per second and p95 at 50 and 200 users through HAProxy (Locust; bench/load.sh).
load: $(STAMPS)/venv-bench $(STAMPS)/apt-prod
	bench/load.sh

clean:
	rm -rf $(STAMPS) staticfiles test-artifacts db.sqlite3
