"""The service's storage: SQLAlchemy models, engines (SQLite or PostgreSQL), Alembic migrations,
and the queries the routers and workers share (jobs, versions, links, retention)."""
