"""Access tables: ``tests/access/table_<feature>.csv``, read by the matrix and inventory tests.

Format (UTF-8 CSV with a header row; lines starting with ``#`` are comments)::

    kind,name,role,relation,expected
    route,PATCH /api/v1/directory/bodies/{body_id},*,*,deny
    route,PATCH /api/v1/directory/bodies/{body_id},admin,own,allow
    intent,directory.update_contact,*,self,allow

- ``kind``: ``route`` (``name`` = ``METHOD path`` exactly as FastAPI registers it) or
  ``intent`` (``name`` = the mutation name in ``server.mutations``), or ``grant`` (``name`` =
  a role given to a post: ``table_duties.csv``, the separated-duties rule).
- ``role``: one of ``world.ROLES`` or ``*``; ``relation``: ``own`` / ``other`` / ``higher`` /
  ``lower`` (the target's owning body seen from the actor's body, see ``world``), ``self``
  (the actor's own data), or ``*``.
- ``expected``: ``allow`` or ``deny``.

Precedence: the most specific row wins — exact role and exact relation, then exact role
with ``*`` relation, then ``*`` role with exact relation, then ``*,*``. Two rows for the
same (kind, name, role, relation) are an error, and so is a case no row covers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
COLUMNS = ["kind", "name", "role", "relation", "expected"]
KINDS = {"route", "intent", "grant"}
EXPECTED = {"allow", "deny"}


@dataclass(frozen=True)
class Row:
    kind: str
    name: str
    role: str
    relation: str
    expected: str
    source: str  # "file:line", for failure messages


class Table:
    """Rows of one or more table files, looked up with wildcard precedence."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self._index: dict[tuple[str, str, str, str], Row] = {}
        for row in rows:
            key = (row.kind, row.name, row.role, row.relation)
            if key in self._index:
                raise ValueError(f"duplicate row {key} at {row.source} and {self._index[key].source}")
            self._index[key] = row

    def names(self, kind: str) -> set[str]:
        """Every route or intent named in the table."""
        return {r.name for r in self.rows if r.kind == kind}

    def relations(self, kind: str, name: str) -> list[str]:
        """The exact relations rows of ``name`` mention (sorted); empty if only ``*``."""
        return sorted({r.relation for r in self.rows if (r.kind, r.name) == (kind, name)} - {"*"})

    def lookup(self, kind: str, name: str, role: str, relation: str) -> Row:
        for key in ((role, relation), (role, "*"), ("*", relation), ("*", "*")):
            row = self._index.get((kind, name, *key))
            if row is not None:
                return row
        raise KeyError(f"no table row covers {kind} {name!r} role={role} relation={relation}")

    def expected(self, kind: str, name: str, role: str, relation: str) -> str:
        return self.lookup(kind, name, role, relation).expected

    def cases(
        self, kind: str, name: str, roles: tuple[str, ...], relations: tuple[str, ...]
    ) -> list[tuple[str, str, str]]:
        """``(role, relation, expected)`` for every combination."""
        return [(ro, rel, self.expected(kind, name, ro, rel)) for ro in roles for rel in relations]


def read_table(path: Path) -> Table:
    """Read one table file (see module docstring); raises ``ValueError`` on a bad row."""
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [(i, line) for i, line in enumerate(fh, 1) if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.reader([line for _, line in lines])
    header = next(reader, None)
    if header != COLUMNS:
        raise ValueError(f"{path.name}: header must be {','.join(COLUMNS)}, got {header}")
    for (lineno, _), values in zip(lines[1:], reader, strict=True):
        source = f"{path.name}:{lineno}"
        if len(values) != len(COLUMNS):
            raise ValueError(f"{source}: expected {len(COLUMNS)} columns, got {values}")
        kind, name, role, relation, expected = (v.strip() for v in values)
        if kind not in KINDS or expected not in EXPECTED or not name:
            raise ValueError(f"{source}: bad row {values}")
        rows.append(Row(kind, name, role, relation, expected, source))
    return Table(rows)


def table_paths() -> list[Path]:
    return sorted(HERE.glob("table_*.csv"))


def read_all() -> Table:
    """Every ``table_*.csv`` in this package as one table."""
    return Table([row for path in table_paths() for row in read_table(path).rows])
