"""Model fields of the business clock."""

from django.db import models

from fuyang_portal import clock


class ClockUpdatedField(models.DateTimeField):
    """``auto_now`` by the business clock (fuyang_portal.clock), not the wall clock."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = clock.now()
        setattr(model_instance, self.attname, value)
        return value
