from .accounts import User
from .audit import AuditEvent
from .notifications import Notification, OutboxMessage, SmsMessage
from .sequences import Counter
from .reliability import IdempotentRequest, QueuedTask
from .places import Agency, Community, CommunityGroup, Township, Village
from .workflow import Transition

__all__ = [
    "Agency",
    "AuditEvent",
    "Community",
    "CommunityGroup",
    "Counter",
    "IdempotentRequest",
    "Notification",
    "OutboxMessage",
    "QueuedTask",
    "SmsMessage",
    "Township",
    "Transition",
    "User",
    "Village",
]
