"""The abstract base every domain model builds on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet


class BaseModel(models.Model):
    """Timestamps and the jurisdiction-aware manager (``objects.restrict``)."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
