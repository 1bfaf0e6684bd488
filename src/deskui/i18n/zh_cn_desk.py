"""Simplified Chinese messages: desk."""

MESSAGES: dict[str, str] = {
}
