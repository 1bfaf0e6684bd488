"""Simplified Chinese messages: panels."""

MESSAGES: dict[str, str] = {
}
