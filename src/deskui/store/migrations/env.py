"""Alembic environment: the engine is handed in by deskui.store.migrate."""

from __future__ import annotations

from alembic import context

from deskui.store.tables import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # plain `alembic` use: build one from the URL
    from deskui.store.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
