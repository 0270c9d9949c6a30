# ClaimLens. `make run` serves the app with a demo login; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run prod test lint format migrate clean bench screenshots load-test fault-drill bench-engine

$(STAMP): pyproject.toml package.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	npm install --silent --no-audit --no-fund
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py demo_setup
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production mode on this machine: gunicorn, a Celery worker and beat on PostgreSQL and Redis,
# with secrets generated once into var/prod.env (docs/deploy.md). Ctrl-C stops all three.
prod: install
	$(PY) scripts/prod.py

test: install
	$(PY) -m pytest

# Benchmarks: figures are printed, not asserted. PostgreSQL is used when it answers locally.
BENCH_DATABASE_URL ?= $(shell python3 -c "import socket; s=socket.socket(); s.settimeout(1); print('postgres://postgres@127.0.0.1:5432/postgres' if s.connect_ex(('127.0.0.1', 5432)) == 0 else '')")

bench: install
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) benchmarks/api_bench.py --database-url "$(BENCH_DATABASE_URL)"
	$(PY) benchmarks/scrubber.py
	$(PY) benchmarks/engine_eval.py
	$(PY) benchmarks/engine_speed.py

# Against a running `make prod` (docs/performance.md): bounded, loopback only.
load-test: install
	$(PY) benchmarks/load_test.py

fault-drill: install
	$(PY) benchmarks/fault_drill.py

screenshots: install
	$(PY) scripts/screenshots.py

# The rule engine alone, in-process: ms per note, growth with note length, regex calls per note.
bench-engine: install
	$(PY) benchmarks/engine_speed.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache node_modules static/vendor
