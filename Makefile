# Holo's entry points. `make demo` syncs the real card data through the local API emulator;
# `make test` runs every check CI runs. Both build what they need first.

# The card data the emulator serves: the shared folder beside the project, unless overridden.
HOLO_DATA ?= ../shared/pokemon-tcg-data
export HOLO_DATA

CARGO ?= cargo

.PHONY: demo test lint unit-tests bench release setup

## Sync the real card data through the emulator into target/demo/holo.db, then show its status.
demo: release
	scripts/demo.sh

## Every check: formatting, clippy on all targets, and the whole test suite.
test: setup lint unit-tests

## Install the system packages the build needs (Debian or Ubuntu; run as root or with sudo).
setup:
	scripts/setup.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --all-targets -- -D warnings

# The process tests (two syncs at once, kills at random moments) run the release `holo`, as a
# collector would; everything else runs in the debug build.
unit-tests:
	$(CARGO) build --release -p holo-cli
	@export HOLO_TEST_BIN="$(CURDIR)/target/release/holo"; \
	if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --no-fail-fast; \
	else \
		$(CARGO) test --no-fail-fast; \
	fi

## Release builds of the CLI and the emulator, then the benchmark figures.
bench: release
	target/release/holo-bench --data "$(HOLO_DATA)"

release:
	$(CARGO) build --release -p holo-cli -p holo-emulator -p holo-bench
