"""Reading decoded JSON whose shape is not checked yet (pure: no Qt, no I/O).

Documents, workflow states and archive metadata travel as JSON objects; a reader that
must not fail on an old or partial one takes a nested object with :func:`mapping_at`,
which answers an empty mapping where the value is missing or not an object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def mapping_at(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``obj[key]`` when it is a mapping (a JSON object), else an empty mapping."""
    value = obj.get(key)
    return value if isinstance(value, Mapping) else {}
