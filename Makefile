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
APT_TEST  := chromium fonts-wqy-microhei fonts-noto-color-emoji python3-qgis qgis-providers

.PHONY: help run test setup apt apt-test venv node db db-stop migrate messages demo lint bench clean fuzz backup restore audit

help:
	@echo "gridmap"
	@echo "  make run      set up everything and serve the demo on http://$(HOST):$(PORT)/"
	@echo "  make test     set up everything and run the whole test suite"
	@echo "  make lint     ruff and mypy"
	@echo "  make fuzz     the long fuzz run of the APIs (schemathesis + hypothesis)"
	@echo "  make db-stop  stop the project-local PostgreSQL cluster"
	@echo "  make backup   database + media into var/backups/<timestamp>/"
	@echo "  make restore  put a backup back (BACKUP=var/backups/<timestamp>, default the latest)"
	@echo "  make audit    known vulnerabilities in the Python and npm packages"
	@echo "  make ha-up    PostgreSQL with automatic failover on loopback (etcd + two Patroni nodes)"
	@echo "  make ha-down  stop it (HA_ARGS=--remove also deletes its data)"

# --- system packages (apt) -------------------------------------------------------
# Each package is installed only when missing, so a second run asks nothing of apt.
apt:
	@scripts/apt-ensure.sh $(APT_RUN)

apt-test: apt apt-ha
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
	@$(BIN)/python manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*' -v 0

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
	@HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

test: export DJANGO_SETTINGS_MODULE := gridmap.settings.test
test: apt-test setup
	@echo "==> test suite (pytest, real PostGIS, headless Chromium)"
	@$(BIN)/pytest --ignore=tests/scale $(PYTEST_ARGS)
	@echo "==> scale tests (a generated city in its own test database)"
	@GRIDMAP_TEST_DB=test_gridmap_scale $(BIN)/pytest -p no:cacheprovider tests/scale
	@$(MAKE) --no-print-directory test-hours
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory audit

# --- any hour (issue 15, section 2) --------------------------------------------------------
# The tests that depend on "now" (patrols tonight and the coverage week, SLA and reminders,
# station slots and loans, figures, programme progress, demo loading), each run with the
# clock at four hours of the day in Asia/Shanghai: the session, the demo and every test
# start there (tests/conftest.py, GRIDMAP_TEST_CLOCK; the browser follows the server's
# clock). Their own test database, kept between runs (--reuse-db still applies new
# migrations); the demo is loaded afresh at each hour. ~1 minute per hour on 2 quiet cores.
TEST_HOURS ?= 00:30 04:30 12:00 23:59
HOURS_TESTS := \
	tests/patrols/test_demo.py tests/patrols/test_my_area.py tests/patrols/test_transitions.py \
	tests/patrols/test_browser.py::test_the_coverage_map_shades_the_grids_nobody_patrolled_after_midnight \
	tests/reports/test_report_sla.py tests/reports/test_report_layer_and_demo.py \
	tests/station/test_bookings.py tests/station/test_station_demo.py \
	tests/station/test_station_pages.py::test_the_station_page_lists_services_with_their_hours \
	tests/station/test_station_pages.py::test_the_desk_flags_overdue_loans_and_uncollected_parcels \
	tests/station/test_loans.py::test_a_late_return_says_how_late_in_the_history \
	tests/figures/test_figures_arithmetic.py \
	tests/works/test_programme_progress.py tests/works/test_demo_works.py \
	tests/meetings/test_meeting_demo.py
.PHONY: test-hours
test-hours: export DJANGO_SETTINGS_MODULE := gridmap.settings.test
test-hours: apt-test setup
	@for hour in $(TEST_HOURS); do \
		echo "==> tests that depend on the time of day, at $$hour Asia/Shanghai"; \
		GRIDMAP_TEST_CLOCK=$$hour GRIDMAP_TEST_DB=test_gridmap_hours $(BIN)/pytest \
			-p no:cacheprovider -q --reuse-db $(HOURS_TESTS) || exit 1; \
	done

# `make test` fuzzes every API operation with a few examples; this runs many more, with
# schemathesis' coverage phase and a fresh random seed (GRIDMAP_FUZZ_EXAMPLES to change).
fuzz: export DJANGO_SETTINGS_MODULE := gridmap.settings.test
fuzz: apt-test setup
	@echo "==> long fuzz run of /api/v1/, Open311 and OGC API (schemathesis, hypothesis)"
	@GRIDMAP_FUZZ_EXAMPLES=$${GRIDMAP_FUZZ_EXAMPLES:-60} GRIDMAP_FUZZ_LONG=1 GRIDMAP_FUZZ_RANDOM=1 \
		$(BIN)/pytest tests/hardening/test_fuzz_api.py tests/hardening/test_fuzz_params.py $(PYTEST_ARGS)

lint: venv
	@echo "==> ruff"
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@echo "==> mypy"
	@$(BIN)/mypy

# --- load with a database restart (issue 7, section 4) ---------------------------------
# 50 reporters for 60 s against a throwaway cluster of its own (never the shared one), which
# is restarted in the middle; prints the counts (var/bench/load_faults.json). `make bench`
# runs it first; a short form is tests/resilience/test_faults.py in `make test`.
BENCH_FAULTS_ARGS ?= --clients 50 --seconds 60 --down 3
bench: bench-faults bench-failover
bench-faults: venv
	@echo "==> load with a database restart (bench/load_faults.py $(BENCH_FAULTS_ARGS))"
	@$(BIN)/python bench/load_faults.py $(BENCH_FAULTS_ARGS)

# --- automatic failover (issue 15, sections 3 and 4; README "High availability") -----------
# `make ha-up` starts etcd and two Patroni nodes (primary + synchronous standby) on loopback,
# in a short /tmp folder, and prints the DATABASE_URL that reaches whichever is primary;
# `make ha-down` stops them. Both idempotent. `make bench` runs bench/failover.py: 50
# reporters for 60 s while the primary's postmaster is killed (its own cluster, ports
# 55460-55499); the short form is tests/resilience/test_failover.py in `make test`.
APT_HA := patroni etcd-server etcd-client
HA_ARGS ?=
BENCH_FAILOVER_ARGS ?= --clients 50 --seconds 60
.PHONY: apt-ha ha-up ha-down bench-failover
apt-ha: apt
	@scripts/apt-ensure.sh $(APT_HA)

ha-up: apt-ha
	@echo "==> HA PostgreSQL: etcd + Patroni nodes n1, n2 (synchronous standby) on 127.0.0.1"
	@$(PY) scripts/ha/hacluster.py up $(HA_ARGS)
	@echo "    serve the app on it:  DATABASE_URL='<the URL above>' make run"

ha-down:
	@echo "==> stopping the HA PostgreSQL (its data is kept; HA_ARGS=--remove deletes it)"
	@$(PY) scripts/ha/hacluster.py down $(HA_ARGS)

bench-failover: venv apt-ha
	@echo "==> failover under load (bench/failover.py $(BENCH_FAILOVER_ARGS))"
	@$(BIN)/python bench/failover.py $(BENCH_FAILOVER_ARGS)

# --- gridmap against tipg, pygeoapi and raw SQL (issue 7, section 2) -------------------
# On the generated city in database gridmap_bench (made on the first run; BENCH_SCALE=1 is
# the issue's 1,000,000 reports): prints and writes bench/results.{json,md}. bench/README.md.
APT_BENCH := wrk
bench: venv db
	@scripts/apt-ensure.sh $(APT_BENCH)
	@echo "==> gridmap vs tipg vs pygeoapi vs raw SQL (bench/run.py)"
	@$(BIN)/python bench/run.py

# --- backups and audits -------------------------------------------------------------
backup: db
	@echo "==> backup (pg_dump + media)"
	@scripts/backup.sh

restore: db
	@echo "==> restore $(or $(BACKUP),the latest backup)"
	@scripts/restore.sh $(BACKUP)

audit: venv node
	@echo "==> audit (pip-audit, npm audit; exceptions in audit-allowlist.txt)"
	@$(BIN)/python scripts/audit.py

clean: db-stop
	rm -rf var $(VENV) node_modules staticfiles
