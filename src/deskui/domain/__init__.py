"""Pure rules: no Textual, no SQLAlchemy. The clock is always passed in."""
