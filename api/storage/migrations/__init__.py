"""Alembic migrations of the service's database, bundled with the package (``aidroute db
upgrade`` runs them; ``aidroute serve`` applies pending ones at start)."""
