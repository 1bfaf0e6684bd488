"""Textual user interface. Never touches SQLAlchemy; calls services from thread workers."""
