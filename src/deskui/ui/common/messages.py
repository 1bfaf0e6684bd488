"""Messages the desk's panels use to talk upward (the app routes them)."""

from __future__ import annotations

from textual.message import Message


class TicketSelected(Message):
    """The queue cursor moved to a ticket (or to nothing)."""

    def __init__(self, ticket_id: int | None) -> None:
        super().__init__()
        self.ticket_id = ticket_id


class TicketOpened(Message):
    """The user asked to open a ticket (enter in the queue)."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id


class TicketChanged(Message):
    """A service call changed a ticket: the queue, counts and panels reload what they show."""

    def __init__(self, ticket_id: int | None) -> None:
        super().__init__()
        self.ticket_id = ticket_id
