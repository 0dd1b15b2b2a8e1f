"""Alembic migrations, packaged so ``init_db`` needs no alembic.ini on disk."""
