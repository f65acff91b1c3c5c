"""What each role may do with the core's records (what it may see is each model's queryset)."""

from fuyang_portal import policy
from fuyang_portal.models import (
    Agency,
    AuditEvent,
    Community,
    CommunityGroup,
    Counter,
    IdempotentRequest,
    Notification,
    OutboxMessage,
    PasswordHistory,
    QueuedTask,
    SmsMessage,
    Township,
    Transition,
    User,
    Village,
)
from fuyang_portal.policy import district, rule


@rule
def own_message(user, notification):
    return notification is None or notification.recipient_id == user.pk


# Accounts are opened and changed by the district office (the services and the admin).
policy.register(User, actions={"create": district, "change": district})

# Places, agencies and pairings are reference data loaded from district.json; nobody edits them in the portal.
for model in (Township, Community, Village, Agency, CommunityGroup):
    policy.register(model, actions={})

# Logs and queues are written by the system alone.
for model in (Transition, AuditEvent, OutboxMessage, SmsMessage, Counter, QueuedTask, IdempotentRequest, PasswordHistory):
    policy.register(model, actions={})

policy.register(Notification, actions={"read": own_message})
