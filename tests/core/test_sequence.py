"""Numbers people read come from a locked counter: never the same number twice, even when asked at once."""

import threading

import pytest
from django.db import connection, connections

from fuyang_portal.sequence import next_value


@pytest.mark.django_db
def test_numbers_follow_each_other_per_name():
    assert [next_value("batch-20200224") for _ in range(3)] == [1, 2, 3]
    assert next_value("batch-20200225") == 1


@pytest.mark.django_db(transaction=True)
def test_many_asking_at_once_never_get_the_same_number():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer; the race needs PostgreSQL (CI)")
    got, errors = [], []
    start = threading.Barrier(8)

    def ask():
        try:
            start.wait()
            got.append(next_value("race"))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(got) == list(range(1, 9))
