"""The application type-checks: mypy, configured by ``[tool.mypy]`` in pyproject.toml
(strict-leaning; main.py, office_app, modules, sync and server), reports no error.

Runs in the normal test command, so a change that breaks a contract between modules
fails here with mypy's own list of what is wrong.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(900)  # a cold run (no .mypy_cache) takes about a minute
def test_mypy_reports_no_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output"],
        cwd=ROOT, capture_output=True, text=True, timeout=880, check=False,
    )
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"
    assert "Success: no issues found" in result.stdout, result.stdout
