# gridmap — two commands: `make run` and `make test`. Both set up whatever is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMPS    := var/stamps
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DJANGO_SETTINGS_MODULE ?= gridmap.settings.local
# Without DATABASE_URL, everything runs on a project-local cluster that `make` starts itself.
export GRIDMAP_PGPORT ?= 54329
ifeq ($(origin DATABASE_URL),undefined)
LOCAL_DB := 1
export DATABASE_URL := postgis://postgres@127.0.0.1:$(GRIDMAP_PGPORT)/gridmap
endif
# A throwaway cluster in CI trades crash safety for speed (fsync off); never elsewhere.
export GRIDMAP_FAST_DB ?= $(if $(filter true,$(CI)),1,)
HOST      ?= 127.0.0.1
PORT      ?= 8000

APT_RUN   := postgresql-15 postgresql-15-postgis-3 gettext python3-venv npm
APT_TEST  := chromium

.PHONY: help run test setup apt apt-test venv node db db-stop migrate messages demo lint bench clean

help:
	@echo "gridmap"
	@echo "  make run      set up everything and serve the demo on http://$(HOST):$(PORT)/"
	@echo "  make test     set up everything and run the whole test suite"
	@echo "  make lint     ruff and mypy"
	@echo "  make db-stop  stop the project-local PostgreSQL cluster"

# --- system packages (apt) -------------------------------------------------------
# Each package is installed only when missing, so a second run asks nothing of apt.
apt:
	@scripts/apt-ensure.sh $(APT_RUN)

apt-test: apt
	@scripts/apt-ensure.sh $(APT_TEST)

# --- Python and front-end dependencies --------------------------------------------
venv: $(STAMPS)/venv
$(STAMPS)/venv: requirements.lock | apt
	@echo "==> Python virtualenv in $(VENV) (requirements.lock)"
	@[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@mkdir -p $(STAMPS) && touch $@

node: $(STAMPS)/node
$(STAMPS)/node: package.json package-lock.json | apt
	@echo "==> front-end libraries from npm (package-lock.json)"
	@npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

# --- database -------------------------------------------------------------------
db: apt
	@echo "==> PostgreSQL + PostGIS"
	@$(if $(LOCAL_DB),env -u DATABASE_URL) scripts/db.sh start

db-stop:
	@$(if $(LOCAL_DB),env -u DATABASE_URL) scripts/db.sh stop

messages: venv
	@echo "==> compiling message catalogs"
	@$(BIN)/python manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v 0

migrate: venv db
	@echo "==> migrating $(DATABASE_URL)"
	@$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	@echo "==> demo data and demo accounts"
	@$(BIN)/python manage.py load_demo

setup: venv node messages db

# --- the two commands -------------------------------------------------------------
run: setup demo
	@echo ""
	@echo "gridmap is at http://$(HOST):$(PORT)/  (map: http://$(HOST):$(PORT)/map/, admin: /admin/)"
	@$(BIN)/python manage.py demo_logins
	@echo ""
	@$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: export DJANGO_SETTINGS_MODULE := gridmap.settings.test
test: apt-test setup
	@echo "==> test suite (pytest, real PostGIS, headless Chromium)"
	@$(BIN)/pytest $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory lint

lint: venv
	@echo "==> ruff"
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@echo "==> mypy"
	@$(BIN)/mypy

clean: db-stop
	rm -rf var $(VENV) node_modules staticfiles
