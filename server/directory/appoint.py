"""``python main.py admin appoint --login LOGIN --role ROLE``: the server operator's console
appointment of an administrator duty (三员分立 bootstrap).

Someone must appoint the first security administrator (安全保密管理员): after migration
``0c794f349d1e`` the former administrators are system administrators and nobody else
holds a duty, and only a security administrator may grant privileged roles through the
API. The operator, who runs the server, does it here. The role is added to the person's
primary post (or ``--post``); the separated-duties rule applies as everywhere
(``directory.admin_duties_combined``: one person, one duty). Without
``--database-url`` the embedded server's database is used (as ``audit verify``).
Exit codes: 0 appointed (or already held), 1 refused, 2 the database is unusable. Each
attempt is on the audit trail (``directory.appoint``; see :func:`appoint`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from modules.common import messages
from modules.common.errors import DomainError
from modules.directory import rules
from server.config import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

messages.register({
    "directory.not_appointable": {
        "zh_CN": "控制台只能任命系统管理员、安全保密管理员、安全审计员或印章保管员，收到“{role}”。",
        "en": "The console appoints sys_admin, security_admin, audit_admin or seal_custodian only, got '{role}'.",
    },
    "directory.login_not_found": {
        "zh_CN": "登录账号“{login}”不存在。",
        "en": "There is no account '{login}'.",
    },
    "directory.appoint_needs_post": {
        "zh_CN": "账号“{login}”的人员没有岗位，请先为其设置岗位。",
        "en": "The person signing in as '{login}' holds no post; give them a post first.",
    },
})

#: Roles the console may appoint: the three duties and the seal custodian (the other
#: privileged role), so a fresh installation can be brought to a working state.
APPOINTABLE = (*rules.ADMIN_DUTIES, "seal_custodian")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="admin_command", required=True)
    appoint = sub.add_parser("appoint", help="give a person an administrator duty (三员分立)")
    appoint.add_argument("--login", required=True, help="the person's sign-in account")
    appoint.add_argument("--role", required=True,
                         help="sys_admin | security_admin | audit_admin | seal_custodian "
                              "(or 系统管理员 / 安全保密管理员 / 安全审计员)")
    appoint.add_argument("--post", default=None, help="the post id (default: the primary post)")
    appoint.add_argument("--database-url", default=None,
                         help="SQLAlchemy URL (default: the embedded server's database)")
    appoint.add_argument("--data-dir", default=None, help="the server's data directory")


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from server.db import make_engine

    settings = Settings(data_dir=Path(args.data_dir)) if args.data_dir else Settings()
    url = args.database_url or settings.resolved_database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        print(f"no database at {url}", file=sys.stderr)
        return 2
    engine = make_engine(url)
    try:
        print(appoint(engine, args.login, args.role, args.post))
        return 0
    except DomainError as exc:
        print(exc.message("zh_CN"), file=sys.stderr)
        print(exc.message("en"), file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"the database is unusable: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


#: The audit action of a console appointment (actor: none — the operator at the console).
AUDIT_ACTION = "directory.appoint"


def appoint(engine: Engine, login: str, role: str, post_id: str | None = None) -> str:
    """Add ``role`` to the post (primary unless ``post_id``) of the person signing in as
    ``login``, in one transaction, published on the change feed; a line saying what was
    done. Raises ``DirectoryInvalid`` for an unknown or non-appointable role, a combined
    duty or an account without a post, ``NotFound`` for an unknown login or post.

    Every call leaves an audit entry (``directory.appoint``, no actor, detail ``by:
    console``, the login, role and post): ``ok`` in the appointment's own transaction
    (also when the role was already held), ``refused`` with the refusal's code in a
    transaction of its own."""
    from server.audit.trail import record_detached

    try:
        return _appoint(engine, login, role, post_id)
    except DomainError as exc:
        detail = {"by": "console", "login": login, "role": role, **({"post": post_id} if post_id else {})}
        record_detached(engine, action=AUDIT_ACTION, result="refused", code=exc.code,
                        target=post_id or "", detail=detail)
        raise


def _appoint(engine: Engine, login: str, role: str, post_id: str | None) -> str:
    from sqlalchemy import select

    from modules.common.errors import NotFound
    from server.audit.trail import record
    from server.auth.models import Account
    from server.db import session_scope
    from server.directory import storage
    from server.directory.models import Post

    codes = rules.parse_roles(role)
    if len(codes) != 1 or codes[0] not in APPOINTABLE:
        raise rules.DirectoryInvalid("directory.not_appointable", role=role)
    code = codes[0]
    with session_scope(engine) as session:
        account = session.scalar(select(Account).where(Account.login == (login or "").strip().lower()))
        if account is None:
            raise NotFound("directory.login_not_found", login=login)
        posts = list(session.scalars(select(Post).where(Post.person_id == account.person_id)
                                     .order_by(Post.is_primary.desc(), Post.sort_order, Post.id)))
        post = next((p for p in posts if p.id == post_id), None) if post_id else (posts[0] if posts else None)
        if post is None:
            if post_id:
                raise NotFound("directory.post_not_found", id=post_id)
            raise rules.DirectoryInvalid("directory.appoint_needs_post", login=login)
        roles = rules.normalise_roles(post.roles or ())
        detail = {"by": "console", "login": login, "role": code, "post": post.id}
        if code in roles:
            record(session, action=AUDIT_ACTION, target=post.id, scope_body=post.body_id,
                   detail={**detail, "already": True})
            return f"{login} already holds {code} on post {post.id}"
        storage.update_post(session, post.id, {"roles": [*roles, code]})
        record(session, action=AUDIT_ACTION, target=post.id, scope_body=post.body_id,
               detail=detail)
        return f"{login}: {code} ({rules.ROLE_LABELS[code]}) added to post {post.id} ({post.title})"
