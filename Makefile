# Holo's entry points. `make demo` opens the desktop app on the real card data served by the
# local API emulator; `make test` runs every check CI runs. Both build what they need first.

# The card data the emulator serves: the shared folder beside the project, unless overridden.
HOLO_DATA ?= ../shared/pokemon-tcg-data
export HOLO_DATA

CARGO ?= cargo

.PHONY: demo sync-demo test lint ui ui-checks unit-tests app-tests e2e bench release app setup

## Open the desktop app on a demo database, with the emulator standing in for the API.
demo: setup release app
	scripts/app-demo.sh

## Sync the real card data through the emulator into target/demo/holo.db, then show its status.
sync-demo: release
	scripts/demo.sh

## Every check: formatting, clippy, the UI's type check, lint and tests, the Rust tests, and the
## end-to-end test of the app in its real webview under Xvfb.
test: setup lint ui-checks unit-tests app-tests e2e

## Install the system packages the build needs (Debian or Ubuntu; run as root or with sudo).
setup:
	scripts/setup.sh

lint: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy -p holo-app --all-targets -- -D warnings

node_modules: package.json package-lock.json
	npm ci
	@touch node_modules

ui: node_modules
	npm run build

ui-checks: node_modules
	npm run check
	npm run lint
	npm test

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

## The app's own tests, among them the check that ui/src/bindings.ts is up to date.
app-tests: ui
	$(CARGO) build --release -p holo-cli
	HOLO_TEST_BIN="$(CURDIR)/target/release/holo" $(CARGO) test -p holo-app

## Drives the built app through sync, browse and search under Xvfb; screenshots land in
## tests/e2e/artifacts/.
e2e: node_modules
	tests/e2e/run.sh

## Release builds of the CLI and the emulator, then the benchmark figures.
bench: release
	target/release/holo-bench --data "$(HOLO_DATA)"

release:
	$(CARGO) build --release -p holo-cli -p holo-emulator -p holo-bench

app: ui
	$(CARGO) build --release -p holo-app
