"""Log output: human-readable lines by default, one JSON object per line with LOG_FORMAT=json (for a log
collector on several nodes). Both carry the request id (fuyang_portal/request_id.py).

Imports nothing that needs Django set up: the Celery application imports this module first.
"""

import json
import logging
import os
from datetime import UTC, datetime

from fuyang_portal.request_id import RequestIdFilter


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request id, process, and the
    traceback when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or "-",
            "process": record.process,
        }
        for name in ("task_name", "task_id"):  # set by Celery's task logger
            if getattr(record, name, None):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def adopt_celery_handlers(logger=None, **kwargs):
    """after_setup_logger / after_setup_task_logger: the worker's own handlers print the request id too, and
    print JSON when LOG_FORMAT=json, like the web nodes."""
    if logger is None:
        return
    json_wanted = os.environ.get("LOG_FORMAT", "text").strip().lower() == "json"
    for handler in logger.handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
        if json_wanted:
            handler.setFormatter(JsonFormatter())
