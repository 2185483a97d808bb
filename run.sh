#!/usr/bin/env bash
# Run the client on its embedded default: a local server on SQLite in your data
# directory, seeded with the demo organisation. Extra arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
exec .venv/bin/python main.py "$@"
