# The two commands of the README: `make run` (demo on SQLite) and `make test` (PostgreSQL,
# Redis and Chromium, started or installed by scripts/test-services.sh when missing).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-clock bench install install-dev clean

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

# The demo skips staff and board two-factor sign-in so a visitor can look around (settings:
# DEMO_SKIP_STAFF_MFA, refused by production); `make run DEMO_SKIP_STAFF_MFA=false` keeps it.
DEMO_SKIP_STAFF_MFA ?= true

run: install
	$(BIN)/python manage.py migrate --noinput
	DEMO_SKIP_STAFF_MFA=$(DEMO_SKIP_STAFF_MFA) $(BIN)/python manage.py seed_demo
	DEMO_SKIP_STAFF_MFA=$(DEMO_SKIP_STAFF_MFA) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev
	scripts/test-services.sh $(BIN)/pytest $(PYTEST_ARGS)

# The suite again with the clock moved (tests/conftest.py, ALLIEDUP_TEST_NOW): a leap day in
# another year, 01:30 on the night California's clocks go back (an hour that happens twice),
# and New Year's Eve in California while UTC is already in the new year.
TEST_CLOCKS ?= 2028-02-29T19:00:00Z 2027-11-07T08:30:00Z 2029-01-01T07:30:00Z

test-clock: install-dev
	@for when in $(TEST_CLOCKS); do \
		echo "== the suite with the clock moved to $$when"; \
		ALLIEDUP_TEST_NOW=$$when scripts/test-services.sh $(BIN)/pytest $(PYTEST_ARGS) || exit 1; \
	done

bench: install-dev
	scripts/test-services.sh $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
