"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered; and what makes its
workers observable: the heartbeat readiness waits for (fuyang_portal/health.py), the request id carried from a
request into the tasks it queues (fuyang_portal/request_id.py), the request id and JSON lines in the worker's
own logs (fuyang_portal/logs.py) and task run times (fuyang_portal/prom.py)."""

import os

from celery import Celery, signals

from fuyang_portal import health, logs, prom, request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuyang_portal.settings")

app = Celery("fuyang_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

signals.before_task_publish.connect(request_id.add_to_task_headers)
signals.task_prerun.connect(request_id.restore_in_task)
signals.task_postrun.connect(request_id.clear_after_task)
signals.task_prerun.connect(prom.task_started)
signals.task_postrun.connect(prom.task_finished)
signals.worker_init.connect(prom.start_worker_exporter)
signals.worker_ready.connect(health.on_worker_ready)
signals.heartbeat_sent.connect(health.on_worker_heartbeat)
signals.after_setup_logger.connect(logs.adopt_celery_handlers)
signals.after_setup_task_logger.connect(logs.adopt_celery_handlers)
