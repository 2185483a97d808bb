"""The product's registered intents, as tests that enumerate them must see them.

Test modules register intents of their own at import (``testing.*``, ``synctest.*``);
the registry is process-wide, so an enumeration over it meets them whenever those
modules are collected. Enumerations use :func:`product_intents` instead.
"""

from __future__ import annotations

from server.app import FEATURES
from server.mutations import registered_names


def product_intents() -> list[str]:
    """Registered intent names whose prefix is a server feature, sorted."""
    return sorted(n for n in registered_names() if n.split(".")[0] in FEATURES)
