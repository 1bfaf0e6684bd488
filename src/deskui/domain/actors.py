"""Who is acting, and what each role may do (checked in the services layer)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from deskui.domain.enums import Role


class Action(StrEnum):
    INTAKE = "intake"
    COMMENT = "comment"
    ASSIGN = "assign"
    ASSIGN_ANYONE = "assign_anyone"
    CHANGE = "change"
    PEND = "pend"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    ESCALATE = "escalate"
    EXTEND = "extend"
    CALLBACK = "callback"
    COMPLAINT_CALLBACK = "complaint_callback"
    IMPORT = "import"
    EXPORT = "export"
    MANAGE = "manage"


_EDIT = {
    Action.INTAKE,
    Action.COMMENT,
    Action.ASSIGN,
    Action.CHANGE,
    Action.PEND,
    Action.RESOLVE,
    Action.REOPEN,
    Action.CLOSE,
    Action.ESCALATE,
    Action.CALLBACK,
}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.AGENT: frozenset(_EDIT),
    Role.SUPERVISOR: frozenset(
        _EDIT
        | {
            Action.ASSIGN_ANYONE,
            Action.EXTEND,
            Action.COMPLAINT_CALLBACK,
            Action.EXPORT,
            Action.IMPORT,
        }
    ),
    Role.QA: frozenset({Action.CALLBACK, Action.COMPLAINT_CALLBACK, Action.EXPORT}),
    Role.ADMIN: frozenset(set(Action)),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in agent, passed to every service call."""

    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def may_work_on(self, team_id: int | None, assignee_id: int | None) -> bool:
        """Agents work on their own and their team's tickets (and unowned ones they pick up)."""
        if self.role is not Role.AGENT:
            return True
        if assignee_id == self.id or (team_id is not None and team_id == self.team_id):
            return True
        return team_id is None and assignee_id is None

    def may_see_customer(self, owners: Iterable[tuple[int | None, int | None]]) -> bool:
        """Team scope for a customer's personal data outside a ticket: an agent may see it
        when one of the customer's tickets (its team and assignee in `owners`) is theirs to
        work on, or when the customer has no ticket yet (being registered at intake)."""
        pairs = list(owners)
        return not pairs or any(self.may_work_on(team, assignee) for team, assignee in pairs)
