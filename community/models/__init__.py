"""Members and organisations, the audit trail, the forums, events, boards and notifications."""

from community.models.accounts import AuditEntry, Organisation, User, UserManager
from community.models.boards import (
    Board,
    BoardColumn,
    BoardEvent,
    BoardPresence,
    BoardRow,
    Card,
    CardComment,
    CardReaction,
)
from community.models.events import (
    AgendaItem,
    CalendarFeed,
    Event,
    EventSeries,
    Registration,
)
from community.models.forum import (
    Attachment,
    ForumCategory,
    Mention,
    Post,
    PostRevision,
    Reaction,
    Report,
    SpaceReadMark,
    Thread,
    ThreadReadState,
    ThreadSubscription,
)
from community.models.notifications import Notification, NotificationPreference

__all__ = [
    "AgendaItem",
    "Attachment",
    "AuditEntry",
    "Board",
    "BoardColumn",
    "BoardEvent",
    "BoardPresence",
    "BoardRow",
    "CalendarFeed",
    "Card",
    "CardComment",
    "CardReaction",
    "Event",
    "EventSeries",
    "ForumCategory",
    "Mention",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "Post",
    "PostRevision",
    "Reaction",
    "Registration",
    "Report",
    "SpaceReadMark",
    "Thread",
    "ThreadReadState",
    "ThreadSubscription",
    "User",
    "UserManager",
]
