# Ficshelf: `make run` serves the demo archive; `make test` runs the whole suite.
# Needs only python3 (>= 3.11) and make: uv is bootstrapped into .tools/ when missing.

PORT ?= 8000
HOST ?= 127.0.0.1
TOOLS := $(CURDIR)/.tools
UV := $(or $(shell command -v uv 2>/dev/null),$(TOOLS)/bin/uv)
MANAGE := $(UV) run --frozen python manage.py

.PHONY: run test install install-dev lint format migrate demo serve browser-deps clean

$(TOOLS)/bin/uv:
	@echo "uv not found: installing it into $(TOOLS)"
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv

install: | $(UV)
	$(UV) sync --frozen --no-dev

install-dev: | $(UV)
	$(UV) sync --frozen

migrate: install
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) load_demo --port $(PORT)

# The web server and the background task worker side by side; Ctrl-C (or SIGTERM to make) stops
# both. A POSIX-sh trap: `wait` returns on a signal, so the trap runs at once. (GNU make passes
# SIGTERM on to the recipe but not SIGINT: Ctrl-C reaches it as the terminal signals the whole
# process group, so `kill -INT` on make's pid alone stops nothing; use `kill -TERM`.)
run: demo
	@echo "Serving Ficshelf on http://$(HOST):$(PORT)/ with a background task worker"
	@FICSHELF_DEBUG=$${FICSHELF_DEBUG:-1}; export FICSHELF_DEBUG; \
	worker=; server=; \
	trap 'kill $$server $$worker 2>/dev/null' INT TERM HUP; \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) runserver $(HOST):$(PORT) & server=$$!; \
	wait $$server; status=$$?; \
	kill $$server $$worker 2>/dev/null; wait; \
	exit $$status

# The archive as it runs in production: Granian (settings in ficshelf/server.py) with DEBUG off,
# beside the task worker. It migrates, collects static files and (unless DEMO=0) loads the demo
# first. WORKERS defaults to one a CPU (THREADS, 4, each). `kill -HUP` on Granian's main process
# replaces its workers one at a time (new code, no request refused). `uv run --no-dev` keeps a production
# environment (`make install`) free of the test tools. Ctrl-C or SIGTERM stops both, as in `run`.
WORKERS ?=
DEMO ?= 1
SERVE := FICSHELF_DEBUG=0 $(UV) run --frozen --no-dev
serve: install
	$(SERVE) python manage.py migrate --no-input
	$(SERVE) python manage.py collectstatic --no-input --verbosity 0
	@if [ "$(DEMO)" != 0 ]; then $(SERVE) python manage.py load_demo --port $(PORT); fi
	@echo "Serving Ficshelf on http://$(HOST):$(PORT)/ (Granian) with a background task worker"
	@worker=; server=; \
	trap 'kill $$server $$worker 2>/dev/null' INT TERM HUP; \
	$(SERVE) python manage.py db_worker --no-reload & worker=$$!; \
	HOST='$(HOST)' PORT='$(PORT)' WORKERS='$(WORKERS)' $(SERVE) python -m ficshelf.server \
		& server=$$!; \
	wait $$server; status=$$?; \
	kill $$server $$worker 2>/dev/null; wait; \
	exit $$status

# axe-core (accessibility checks in the browser tests) comes from npm, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

browser-deps: node_modules/.installed

test: install-dev browser-deps
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports
	$(UV) run --frozen pytest $(PYTEST_ARGS)

lint: install-dev
	$(UV) run --frozen ruff check .

format: install-dev
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

clean:
	rm -rf .venv .tools node_modules var/static
