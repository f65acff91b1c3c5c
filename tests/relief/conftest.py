from datetime import datetime

import pytest
from django.utils import timezone

from fuyang_portal import clock


@pytest.fixture(autouse=True)
def _story_clock():
    """Relief tests stand on the demo's Monday, 24 February 2020 10:00 (policies valid through 2020)."""
    with clock.at(timezone.make_aware(datetime(2020, 2, 24, 10, 0))):
        yield
