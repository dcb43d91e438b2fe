# SimpleTimeService: one entry point for every task.
#
# Each target is a thin alias for a script in scripts/ or bench/, so anything `make` does
# can also be run directly (every script has --help). `make` alone lists the targets.
# Extra arguments go through ARGS, for example:
#   make deploy ARGS="--image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/simple-time-service@sha256:..."
#   make smoke URL=http://127.0.0.1:8080 ARGS="--expect-ip 127.0.0.1"
#   make tf-offline DIR=terraform/bootstrap ARGS=validate

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --no-builtin-variables

ARGS ?=
URL ?=
DIR ?= terraform/app

.PHONY: help run test bench stress fuzz image image-test image-save tf-check tf-offline \
	deploy destroy smoke lint

help: ## List the targets (the default)
	@printf 'Usage: make TARGET [ARGS="..."]\n\nTargets:\n'
	@awk -F ':.*## ' '/^[a-z][a-z0-9-]*:.*## / { printf "  %-11s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@printf '\nVariables: ARGS (extra arguments for the script), URL (smoke), DIR (tf-offline, default terraform/app)\n'

run: ## Build and run the service on http://127.0.0.1:8080 (scripts/run.sh)
	scripts/run.sh $(ARGS)

test: ## Run every test and check; what CI runs (scripts/test.sh)
	scripts/test.sh $(ARGS)

bench: ## Benchmark throughput and latency against a reference server (bench/run.sh)
	bench/run.sh $(ARGS)

stress: ## Stress test: connection floods, slow clients, limits (bench/stress.sh)
	bench/stress.sh $(ARGS)

fuzz: ## Fuzz the HTTP request parser (scripts/fuzz.sh)
	scripts/fuzz.sh $(ARGS)

image: ## Build the container image with buildah/podman (scripts/image.sh build)
	scripts/image.sh build $(ARGS)

image-test: ## Run and check the built image: contract, user, health, shutdown, size (scripts/image.sh test)
	scripts/image.sh test $(ARGS)

image-save: ## Export the image as a docker-archive tar for docker load (scripts/image.sh save)
	scripts/image.sh save $(ARGS)

tf-check: ## Check the Terraform offline: fmt, schema, validate, plan, tests, checkov (scripts/tf-check.sh)
	scripts/tf-check.sh $(ARGS)

tf-offline: ## Run Terraform offline in DIR with ARGS, e.g. ARGS=validate (scripts/terraform-offline)
	cd "$(DIR)" && "$(CURDIR)/scripts/terraform-offline" $(ARGS)

deploy: ## Deploy to AWS: bootstrap if needed, init, plan, apply, smoke test (scripts/deploy.sh)
	scripts/deploy.sh $(ARGS)

destroy: ## Destroy the deployed stack on AWS (scripts/destroy.sh)
	scripts/destroy.sh $(ARGS)

smoke: ## Smoke-test a running service at URL, e.g. URL=http://127.0.0.1:8080 (scripts/smoke-test.sh)
	@if [[ -z "$(URL)" ]]; then echo 'error: set URL, e.g. make smoke URL=http://127.0.0.1:8080' >&2; exit 2; fi
	scripts/smoke-test.sh "$(URL)" $(ARGS)

lint: ## Lint shell scripts, the Dockerfile and the workflows (scripts/lint.sh)
	scripts/lint.sh $(ARGS)
