# Entraide: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SITE_PACKAGES = $(shell $(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
HOST ?= 0.0.0.0
PORT ?= 8000

.PHONY: install run test lint format bench messages clean-data services

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,embedded]'
	@# Both import roots, whatever packages exist now or later (platform/ is not a package).
	@printf '%s\n%s\n' "$(CURDIR)" "$(CURDIR)/platform" > "$(SITE_PACKAGES)/entraide-roots.pth"
	@touch $(STAMP)

install: $(STAMP)

messages: install
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.data -v 0; fi

run: install messages
	@export DEBUG=$${DEBUG:-1} SITE_PORT=$${SITE_PORT:-$(PORT)}; \
	$(PY) manage.py bootstrap && \
	$(PY) manage.py seed_demo && \
	echo && echo "Entraide is starting. Open:" && \
	echo "  http://voisinage.localhost:$(PORT)/    (brand: Voisinage)" && \
	echo "  http://solidarite.localhost:$(PORT)/   (brand: Solidarité)" && \
	echo "  http://localhost:$(PORT)/              (operator console)" && echo && \
	PORT=$(PORT) HOST=$(HOST) exec $(VENV)/bin/honcho start -f Procfile

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) bench/provision.py
	$(PY) bench/matching.py
	$(PY) bench/notify.py

clean-data:
	@echo "Stops the embedded services and deletes .data/ (all local brands)."
	-@test -f .data/redis.pid && kill $$(cat .data/redis.pid) 2>/dev/null || true
	-@test -d .data/pg && $(PY) -c "import pgserver; pgserver.get_server('.data/pg', cleanup_mode='delete')" || true
	rm -rf .data
