# Every target bootstraps its own virtual environment from a bare python3 (3.11+): nothing relies on
# what happens to be installed on the machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: check watch test verify lint bench clean help

help:
	@echo "make check   run your exercises' public tests: progress, next exercise, hint"
	@echo "make watch   re-run the current exercise on every save (h hint, n next, l list, q quit)"
	@echo "make test    the kit's own test suite (lint, unit and plugin tests, course verify)"
	@echo "make verify  course verify: starters fail, solutions and variants graded right"
	@echo "make lint    ruff"
	@echo "make bench   timing figures (bench/)"

# pip's and setuptools' chatter goes to a log, shown only if the install fails.
INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check
LOG     = $(VENV)/install.log

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@echo "creating $(VENV) with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv $(VENV)

# The student's install: the kit and its core dependencies only.
$(VENV)/.student: pyproject.toml | $(BIN)/python
	@echo "installing the course kit into $(VENV) (once)"
	@$(INSTALL) -e . > $(LOG) 2>&1 || (cat $(LOG); exit 1)
	@touch $@

# The maintainer's install adds the dev tools, dask and nbgrader (the kit's tests run both).
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	@echo "installing the course kit and its dev tools into $(VENV) (once)"
	@$(INSTALL) -e '.[dev,dask,nbgrader]' > $(LOG) 2>&1 || (cat $(LOG); exit 1)
	@touch $@ $(VENV)/.student

# The student loop never fails make itself: its output says what to do next.
check: $(VENV)/.student
	@$(BIN)/course check || true

watch: $(VENV)/.student
	@$(BIN)/course watch

lint: $(VENV)/.dev
	$(BIN)/ruff check .

verify: $(VENV)/.dev
	$(BIN)/course verify

# The kit's tests and course verify both mostly wait (on doubles, timeouts and child processes),
# not compute, so they run side by side; verify's report is printed when both are done, and
# either one failing fails the target.
test: $(VENV)/.dev
	$(BIN)/ruff check .
	@$(BIN)/course verify --jobs 3 > $(VENV)/verify.log 2>&1 & verify=$$!; \
	  $(BIN)/python -m pytest; tests=$$?; \
	  wait $$verify; verified=$$?; \
	  cat $(VENV)/verify.log; \
	  echo "make test: pytest exit status $$tests, course verify exit status $$verified"; \
	  [ $$tests -eq 0 ] && [ $$verified -eq 0 ]

bench: $(VENV)/.dev
	$(BIN)/python bench/bench_course.py
	$(BIN)/python bench/bench_grade.py
	$(BIN)/python bench/bench_nbgrader.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
