"""Persistence: engine, ORM tables, queries and migrations. Owns every SQL statement."""
