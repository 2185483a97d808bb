"""Every intent has one definition, in its feature's pure intents module, and both
halves of the product register against that definition.

- the server's handler parses with the definition's model (not a copy of it);
- an intent declared ``offline`` has exactly one client applier, an online-only one none;
- no source file outside ``modules/<feature>/intents.py`` defines an intent.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from modules.common import intents as common
from server import app as server_app
from server import mutations as server_mutations
from server.app import FEATURES
from sync import local
from tests.intents import product_intents

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("modules", "server", "sync", "office_app")


@pytest.fixture(scope="module", autouse=True)
def _everything_imported() -> None:
    server_app._feature_modules()  # every feature's server mutations
    for feature in FEATURES:
        for part in ("intents", "service"):
            try:
                importlib.import_module(f"modules.{feature}.{part}")
            except ModuleNotFoundError as exc:
                if not exc.name or not f"modules.{feature}.{part}".startswith(exc.name):
                    raise


def test_every_server_intent_is_defined_in_its_feature_module() -> None:
    names = product_intents()
    assert names, "no product intent registered"
    for name in names:
        feature = name.split(".")[0]
        definition = common.get(name)
        assert definition is not None, f"{name} has a server handler but no definition"
        module = importlib.import_module(f"modules.{feature}.intents")
        exported = [v for v in vars(module).values() if v is definition]
        assert exported, f"{name} is not defined in modules/{feature}/intents.py"
        assert definition.args.__module__.startswith(f"modules.{feature}."), (
            f"{name}'s argument model lives in {definition.args.__module__}"
        )
        registered = server_mutations._registry[name]
        assert registered.intent is definition


def test_offline_intents_have_an_applier_and_online_ones_none() -> None:
    for name in product_intents():
        definition = common.get(name)
        assert definition is not None
        has_applier = local.get_applier(name) is not None
        if definition.offline:
            assert has_applier, f"{name} is declared offline but the client cannot apply it"
        else:
            assert not has_applier, f"{name} is online-only but has a client applier"


def test_every_defined_product_intent_has_a_server_handler() -> None:
    handled = set(product_intents())
    for name in common.defined():
        if name.split(".")[0] in FEATURES:
            assert name in handled, f"{name} is defined but the server cannot apply it"


_DEFINE = re.compile(r"(?<![\w.])define\(\s*[\"']")


def test_no_intent_is_defined_outside_the_intents_modules() -> None:
    found = []
    for top in SOURCE_DIRS:
        for path in (ROOT / top).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if re.fullmatch(r"modules/[a-z_]+/intents\.py", rel) or "migrations/versions" in rel:
                continue
            if _DEFINE.search(path.read_text(encoding="utf-8")):
                found.append(rel)
    assert found == []


def test_client_refuses_arguments_the_server_would_refuse() -> None:
    """The schema check runs before anything is queued (same model, same words)."""
    definition = common.get("directory.update_contact")
    assert definition is not None
    with pytest.raises(Exception) as caught:
        definition.parse({"phone": "1" * 41, "unexpected": 1})
    error = caught.value
    assert getattr(error, "code", "") == "request.invalid"
    detail = str(getattr(error, "params", {}).get("detail", ""))
    assert "phone" in detail and "unexpected" in detail
