"""Generate a migration from the models: ``python -m server.migrations.make "message"``.

Autogenerates against a scratch SQLite database brought to the current head, so the
new revision contains exactly what the models added since.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from server.db import make_engine
from server.migrate import alembic_config


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print('usage: python -m server.migrations.make "what changed"')
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        cfg = alembic_config(engine)
        command.upgrade(cfg, "heads")
        command.revision(cfg, message=argv[0], autogenerate=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
