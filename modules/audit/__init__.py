"""Security audit (安全审计): the audit trail read, filtered and exported by the security
auditor. Pure parts: ``words`` (action codes in words, categories), ``filters`` (the
search filter), ``policy`` (who may read); ``service`` (online reads), ``views`` (the page).
The trail itself is written by the server (``server/audit``)."""
