import pytest
from django.core.cache import cache

from fuyang_portal import clock
from tests.programmes.factories import MONDAY


@pytest.fixture(autouse=True)
def _monday():
    """Every test stands on the story's Monday, 24 February 2020, 10:00, Beijing time."""
    cache.clear()
    with clock.at(MONDAY):
        yield
    cache.clear()
