"""Simplified Chinese for the workflow rules: first contact, callbacks, quotes, visits, clocks."""

MESSAGES: dict[str, str] = {
    "Above the maximum this week": "本周超出上限",
}
