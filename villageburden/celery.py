"""The Celery application. Tasks take ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")

app = Celery("villageburden")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
