"""Simplified Chinese messages: cli."""

MESSAGES: dict[str, str] = {}
