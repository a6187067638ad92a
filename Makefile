# The two commands of the README: `make run` (demo on SQLite) and `make test` (PostgreSQL,
# Redis and Chromium, started or installed by scripts/test-services.sh when missing).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-clock bench install install-dev messages lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Spanish for workers (locale/es, docs/architecture.md "Languages"): the compiled catalogue is
# built here, not committed, whenever the .po is newer. compilemessages needs gettext's msgfmt
# (scripts/test-services.sh installs it for test and bench); without it the demo stays English.
PO := locale/es/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)

messages: $(MO)

$(MO): $(PO) | $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then $(BIN)/python manage.py compilemessages -l es --ignore=.venv; \
	else echo "make: no msgfmt (Debian: apt-get install gettext): the pages stay in English" >&2; fi

# Runs a command inside scripts/test-services.sh after compiling the catalogue there, where
# msgfmt is sure to be installed: $(WITH_MESSAGES) command args...
WITH_MESSAGES = sh -c '$(MAKE) --no-print-directory messages && exec "$$@"' --

# The demo skips staff and board two-factor sign-in so a visitor can look around (settings:
# DEMO_SKIP_STAFF_MFA, refused by production); `make run DEMO_SKIP_STAFF_MFA=false` keeps it.
DEMO_SKIP_STAFF_MFA ?= true

run: install messages
	$(BIN)/python manage.py migrate --noinput
	DEMO_SKIP_STAFF_MFA=$(DEMO_SKIP_STAFF_MFA) $(BIN)/python manage.py seed_demo
	DEMO_SKIP_STAFF_MFA=$(DEMO_SKIP_STAFF_MFA) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Two processes (pytest-xdist), each with its own test database: the suite in about two
# thirds of the time on two cores. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS)

# The apps are one-way layers (docs/architecture.md "Layers"; contracts in .importlinter), and
# imports sit at the top of modules ([tool.ruff] in pyproject.toml). A few seconds, no database:
# run first so a broken boundary fails before the suite starts.
lint: install-dev
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .

test: install-dev lint
	scripts/test-services.sh $(WITH_MESSAGES) $(PYTEST) $(PYTEST_ARGS)

# The suite again with the clock moved (tests/conftest.py, ALLIEDUP_TEST_NOW): a leap day in
# another year, 01:30 on the night California's clocks go back (an hour that happens twice),
# and New Year's Eve in California while UTC is already in the new year.
TEST_CLOCKS ?= 2028-02-29T19:00:00Z 2027-11-07T08:30:00Z 2029-01-01T07:30:00Z

test-clock: install-dev
	@for when in $(TEST_CLOCKS); do \
		echo "== the suite with the clock moved to $$when"; \
		ALLIEDUP_TEST_NOW=$$when scripts/test-services.sh $(WITH_MESSAGES) $(PYTEST) $(PYTEST_ARGS) || exit 1; \
	done

bench: install-dev
	scripts/test-services.sh $(WITH_MESSAGES) $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
