"""The closed vocabularies of after-sales service (service-standards §1-§2).

Values are the stable identifiers stored in the database and used in files;
what users read comes from the translation layer.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    WECHAT = "wechat"
    APP = "app"
    WEB = "web"
    COUNTER = "counter"
    SOCIAL = "social"


class Category(StrEnum):
    CONSULT = "consult"
    HELP = "help"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    REPAIR = "repair"


class ComplaintType(StrEnum):
    QUALITY = "quality"
    SERVICE = "service"
    MISINFORMATION = "misinformation"
    OTHER = "other"


class Priority(StrEnum):
    URGENT = "urgent"
    IMPORTANT = "important"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        """Smaller is more pressing; used for sorting."""
        return {"urgent": 0, "important": 1, "normal": 2}[self.value]


class Tier(StrEnum):
    NORMAL = "normal"
    VIP = "vip"


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    PENDING_CUSTOMER = "pending_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (Status.RESOLVED, Status.CLOSED)


OPEN_STATUSES: tuple[Status, ...] = tuple(s for s in Status if s.is_open)


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    QA = "qa"
    ADMIN = "admin"


class TeamKind(StrEnum):
    """What a team does; dispatch rules (service-standards §4) route by it."""

    SERVICE = "service"  # customer service / technical support
    PRODUCT = "product"  # product / operations
    COMPLAINTS = "complaints"  # customer service supervisors, after-sales managers
    ENGINEERING = "engineering"  # after-sales engineers


class SlaTarget(StrEnum):
    RESPONSE = "response"
    RESOLUTION = "resolution"


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"


class EventKind(StrEnum):
    """Kinds of timeline / audit events; the table is append-only."""

    CREATED = "created"
    COMMENT = "comment"
    FIELD_CHANGE = "field_change"
    STATUS = "status"
    ASSIGN = "assign"
    RESPONDED = "responded"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    REMINDER = "reminder"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    CALLBACK = "callback"
    IMPORT = "import"
    EXPORT = "export"
    LOGIN = "login"
    REVEAL = "reveal"
    REFUSED = "refused"  # an attempt that roles or team scope refused
    CALENDAR = "calendar"  # a change of the site's business calendar
    SITE_POLICY = "site_policy"  # a change of the site policy (`deskui site import`)
