"""deskui: a keyboard-driven helpdesk for after-sales service teams."""

__version__ = "0.1.0"
