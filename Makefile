# Every target creates what it needs: `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
BENCH_VENV := .venv-bench
CHECKOV_VENV := .venv-checkov
LOCK_VENV := .venv-lock
UV_VERSION := 0.13.10
PORT ?= 8000

# `sam build` without Docker needs the Lambda runtime's Python on PATH.
PYTHON313 := $(shell for p in python3.13 $$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { command -v "$$p"; break; }; done)

# moto's DynamoDB Streams calls fail when botocore resolves account-based endpoints.
export AWS_ACCOUNT_ID_ENDPOINT_MODE := disabled

.PHONY: help run test quick browser lint layers typecheck template-check openapi schemas preview-mails screenshots build bench load reindex deploy-pages preflight lock clean

help:
	@echo "make run    start the whole system locally on http://127.0.0.1:$(PORT)"
	@echo "make test   run every check and test"
	@echo "make quick  the same without the tests marked slow"
	@echo "make build  sam build (arm64, no Docker)"
	@echo "make bench  cold-start and AWS-call figures into bench/results.json"
	@echo "make lock   write requirements/*.lock from their inputs (UPGRADE=1: the newest versions)"
	@echo "make load TABLE=<name> FILE=data/demo.yaml   load catalog and organisations into a table"
	@echo "make preflight ENV=ti SENDER=<address> [DOMAIN=<name> CERTIFICATE_ARN=<arn>]   before a deploy (docs/deploy.md)"
	@echo "make preflight LOCAL=http://127.0.0.1:$(PORT)   the same against the local stack"

# Every venv installs exactly its lock (requirements/*.lock; `make lock` writes them, docs/development.md § Locked
# versions), then the project itself without resolving anything again.
$(VENV)/.installed: requirements/dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Cold starts are measured on the Lambda runtime's Python (3.13) with the layer's packages.
$(BENCH_VENV)/.installed: requirements/bench.lock
	@test -n "$(PYTHON313)" || { echo "make bench needs python3.13 (on PATH or under pyenv)"; exit 1; }
	test -x $(BENCH_VENV)/bin/python || $(PYTHON313) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r requirements/bench.lock
	touch $@

# checkov pins its own dependencies (boto3 among them): its own venv, from its lock file.
$(CHECKOV_VENV)/.installed: requirements/checkov.lock
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r requirements/checkov.lock
	touch $@

$(SAM_VENV)/.installed: requirements/sam.lock
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet -r requirements/sam.lock
	touch $@

$(LOCK_VENV)/.installed:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'
	touch $@

# The locks, from their inputs: pyproject.toml's dev extra, the layer's requirements.txt and
# requirements/*.in. `make lock` keeps every version that still fits; `make lock UPGRADE=1` takes the
# newest of each (then review what changed, moto above all: devstack/moto_atomic.py names its version).
UV_COMPILE = $(LOCK_VENV)/bin/uv pip compile --quiet $(if $(UPGRADE),--upgrade)
lock: $(LOCK_VENV)/.installed
	$(UV_COMPILE) --universal --python-version 3.11 -o requirements/dev.lock \
		pyproject.toml --extra dev layers/common/requirements.txt requirements/build.in
	$(UV_COMPILE) --python-version 3.13 --python-platform aarch64-manylinux_2_17 \
		-o layers/common/requirements.lock layers/common/requirements.txt
	$(UV_COMPILE) --python-version 3.13 -o requirements/bench.lock requirements/bench.in
	$(UV_COMPILE) --python-version 3.11 -o requirements/sam.lock requirements/sam.in
	$(UV_COMPILE) --python-version 3.11 -o requirements/checkov.lock requirements/checkov.in

run: $(VENV)/.installed
	$(BIN)/python -m devstack --port $(PORT)

test: $(VENV)/.installed browser lint layers typecheck template-check
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

# The development loop: every check and test but those marked slow (make test and CI run them too).
quick: $(VENV)/.installed browser lint layers typecheck
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not slow"

# Debian's chromium for the browser tests: installed through apt when missing (tools/ensure-chromium).
browser:
	@tools/ensure-chromium

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The package's layers contract (pyproject.toml [tool.importlinter]): domain < store < mail < logic < api.
layers: $(VENV)/.installed
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# cfn-lint with its informational rules over template.yaml, and over what the SAM transform makes of it
# (devstack/sam_transform.py), with and without a domain of its own; then checkov over all three.
template-check: $(VENV)/.installed $(CHECKOV_VENV)/.installed
	$(BIN)/cfn-lint --include-checks I -- template.yaml
	$(BIN)/python -m devstack.sam_transform --output build/transformed/plain.json
	$(BIN)/python -m devstack.sam_transform --output build/transformed/domain.json --parameter SnapStart=Enabled \
		--parameter DomainName=zelfregistratie.example.org \
		--parameter CertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000
	$(BIN)/cfn-lint --include-checks I -- build/transformed/plain.json build/transformed/domain.json
	@# checkov: no failed check; every skip carries its reason on the resource (Metadata: checkov: skip)
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation \
		-f template.yaml -f build/transformed/plain.json -f build/transformed/domain.json
	@if [ -x $(SAM) ]; then $(SAM) validate --lint; else echo "sam validate skipped: aws-sam-cli is installed by make build"; fi

build: $(SAM_VENV)/.installed $(VENV)/.installed
	@test -n "$(PYTHON313)" || { echo "sam build needs python3.13 (on PATH or under pyenv)"; exit 1; }
	PATH="$(dir $(PYTHON313)):$$PATH" $(SAM) build --parallel
	$(BIN)/python -m tools.check_build .aws-sam/build

preview-mails: $(VENV)/.installed
	$(BIN)/python -m tools.preview_mails --out docs/mails --screenshots

screenshots: $(VENV)/.installed
	$(BIN)/python -m tools.screenshots

openapi: $(VENV)/.installed
	$(BIN)/python -m tools.openapi

schemas: $(VENV)/.installed
	$(BIN)/python -m tools.event_schemas

bench: $(VENV)/.installed $(BENCH_VENV)/.installed
	$(BIN)/python -m bench --python $(BENCH_VENV)/bin/python

deploy-pages: $(VENV)/.installed
	@test -n "$(STACK)" || { echo "usage: make deploy-pages STACK=<stack name>"; exit 1; }
	$(BIN)/python -m ops.deploy_pages --stack-name "$(STACK)"

# Read-only: what AWS and ACM/IDM must have before a deploy (docs/deploy.md); LOCAL= checks `make run`.
preflight: $(VENV)/.installed
	@if [ -n "$(LOCAL)" ]; then $(BIN)/python -m ops.preflight --local "$(LOCAL)"; else \
		test -n "$(ENV)" -a -n "$(SENDER)" || { echo "usage: make preflight ENV=ti|prd SENDER=<address> [DOMAIN=… CERTIFICATE_ARN=…] [CONFIGURATION_SET=…], or LOCAL=<base url>"; exit 2; }; \
		$(BIN)/python -m ops.preflight --env "$(ENV)" --sender "$(SENDER)" --domain "$(DOMAIN)" \
			--certificate-arn "$(CERTIFICATE_ARN)" --configuration-set "$(CONFIGURATION_SET)"; fi

load: $(VENV)/.installed
	@test -n "$(TABLE)" || { echo "usage: make load TABLE=<table name> FILE=data/demo.yaml"; exit 1; }
	$(BIN)/python -m ops.load_data --table "$(TABLE)" "$(or $(FILE),data/demo.yaml)"

# What the table keeps derived, written again: the name index and the organisations' counts (ops/reindex.py).
reindex: $(VENV)/.installed
	@test -n "$(TABLE)" || { echo "usage: make reindex TABLE=<table name>"; exit 1; }
	$(BIN)/python -m ops.reindex --table "$(TABLE)"

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis
