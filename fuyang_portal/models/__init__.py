from .accounts import PasswordHistory, User
from .audit import AuditEvent
from .exports import ExportRequest
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
    "ExportRequest",
    "IdempotentRequest",
    "Notification",
    "OutboxMessage",
    "PasswordHistory",
    "QueuedTask",
    "SmsMessage",
    "Township",
    "Transition",
    "User",
    "Village",
]
