#!/usr/bin/env bash
# The project's test command: installs missing Debian test dependencies, builds, runs every test.
# Interop tests create their own network namespaces (root required) and remove them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
