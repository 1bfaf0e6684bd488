"""Chinese for the readability work (issue 16): legends, timeline sentences, column names."""

MESSAGES: dict[str, str] = {}
