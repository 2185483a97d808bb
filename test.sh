#!/usr/bin/env bash
# Run the whole test suite, including the PostgreSQL tests (never skipped).
# OFFICE_TEST_PG_URL names the PostgreSQL server; default: the local one.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh dev
export OFFICE_TEST_PG_URL="${OFFICE_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
