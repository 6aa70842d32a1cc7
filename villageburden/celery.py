"""The Celery application. Tasks take ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")

# The apps' tasks are found by autodiscovery; the project's own module is named.
app = Celery("villageburden", include=["villageburden.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
