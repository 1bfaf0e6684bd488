"""Textual user interface. Never touches SQLAlchemy or the services: it calls `app.api`
(deskui.api) from thread workers."""
