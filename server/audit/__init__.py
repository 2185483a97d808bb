"""The security audit trail (安全审计, issue 12): one append-only, hash-chained and
periodically signed record of who did what, when, from where, with what result.

* :mod:`server.audit.models`  the tables (``audit_entry``, ``audit_head``,
  ``audit_checkpoint``) and the triggers that make them append-only;
* :mod:`server.audit.trail`   ``record`` / ``record_detached`` (what hooks call) and the
  request context (device, address) a middleware sets;
* :mod:`server.audit.chain`   the chaining pass (seq + hash after commit), checkpoints
  and the server's audit signing key;
* :mod:`server.audit.verify`  ``python main.py audit verify``.

See docs/AUDIT.md.
"""
