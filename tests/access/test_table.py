"""The access-table reader: wildcard precedence, duplicates and gaps are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.access.table import read_table

ROUTE = "PATCH /api/v1/x/{id}"


def _table(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "table_x.csv"
    path.write_text("# comment\nkind,name,role,relation,expected\n" + rows, encoding="utf-8")
    return path


def test_the_most_specific_row_wins(tmp_path: Path) -> None:
    table = read_table(_table(tmp_path, (
        f"route,{ROUTE},*,*,deny\n"
        f"route,{ROUTE},*,own,allow\n"
        f"route,{ROUTE},admin,*,allow\n"
        f"route,{ROUTE},admin,higher,deny\n"
    )))
    assert table.expected("route", ROUTE, "staff", "other") == "deny"
    assert table.expected("route", ROUTE, "staff", "own") == "allow"
    assert table.expected("route", ROUTE, "admin", "other") == "allow"
    assert table.expected("route", ROUTE, "admin", "higher") == "deny"
    assert table.relations("route", ROUTE) == ["higher", "own"]


def test_duplicates_bad_rows_and_gaps_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        read_table(_table(tmp_path, f"route,{ROUTE},*,*,deny\nroute,{ROUTE},*,*,allow\n"))
    with pytest.raises(ValueError, match="bad row"):
        read_table(_table(tmp_path, f"route,{ROUTE},*,*,maybe\n"))
    table = read_table(_table(tmp_path, f"route,{ROUTE},admin,own,allow\n"))
    with pytest.raises(KeyError):
        table.expected("route", ROUTE, "staff", "own")
