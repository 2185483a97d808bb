"""Writing to-do items: every write also publishes the item to its owner's feed.

Features call ``put_todo`` when work lands on someone and ``finish_todo`` when it is
done or taken back; the item reaches only its owner (audience ``user:<person id>``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.changefeed import record_change
from server.db import utcnow
from server.workbench.models import Todo

ENTITY = "workbench.todo"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def todo_data(todo: Todo) -> dict[str, Any]:
    return {
        "id": todo.id,
        "title": todo.title,
        "module": todo.module,
        "kind": todo.kind,
        "ref_id": todo.ref_id,
        "from_name": todo.from_name,
        "urgency": todo.urgency,
        "due_at": _iso(todo.due_at),
        "created_at": _iso(todo.created_at),
        "done": todo.done,
    }


def put_todo(
    session: Session,
    *,
    todo_id: str,
    person_id: str,
    title: str,
    module: str,
    kind: str,
    ref_id: str = "",
    from_name: str = "",
    urgency: str = "",
    due_at: datetime | None = None,
) -> Todo:
    """Create or reopen a to-do for ``person_id`` and publish it."""
    todo = session.get(Todo, todo_id)
    if todo is None:
        todo = Todo(id=todo_id, person_id=person_id, created_at=utcnow())
        session.add(todo)
    todo.person_id = person_id
    todo.title = title
    todo.module = module
    todo.kind = kind
    todo.ref_id = ref_id
    todo.from_name = from_name
    todo.urgency = urgency
    todo.due_at = due_at
    todo.done = False
    session.flush()
    record_change(session, ENTITY, todo.id, todo_data(todo), {f"user:{person_id}"})
    return todo


def finish_todo(session: Session, todo_id: str, *, remove: bool = False) -> None:
    """Mark a to-do done (kept in 已办) or, with ``remove``, withdraw it entirely."""
    todo = session.get(Todo, todo_id)
    if todo is None:
        return
    audience = {f"user:{todo.person_id}"}
    if remove:
        session.delete(todo)
        session.flush()
        record_change(session, ENTITY, todo_id, None, audience)
        return
    todo.done = True
    session.flush()
    record_change(session, ENTITY, todo.id, todo_data(todo), audience)
