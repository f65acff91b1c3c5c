"""A contest metric for the fault tests: the real headcount aggregate, which, when FAULT_MARKER names a file,
first writes that file (so the test knows the computation is under way, inside its transaction) and then
waits FAULT_PAUSE seconds, long enough for the test to kill the worker in the middle."""

import os
import time
from pathlib import Path

from tests.leaderboard.fake_metrics import mean_headcount


def slow_headcount(level, start, end):
    rows = mean_headcount(level, start, end)
    marker = os.environ.get("FAULT_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("FAULT_PAUSE", "30")))
    return rows
