"""Organisations (党政群机构 and townships), the people in them, and their roles."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from divisions.scoping import ScopedQuerySet
from villageburden.models import BaseModel

from .choices import REVIEWING_KINDS, ROLE_ORG_KINDS, OrgKind, Role


class OrganisationQuerySet(ScopedQuerySet):
    write_roles = {"add": {Role.PROVINCIAL_ADMIN}, "change": {Role.PROVINCIAL_ADMIN}}


class Organisation(BaseModel):
    """A body that sits at one division and acts within its subtree."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=OrgKind.choices)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    email = models.EmailField(_("e-mail"), blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["division_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="organisation_name_per_division"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reviewing_department(self) -> bool:
        return self.kind in REVIEWING_KINDS


class UserQuerySet(ScopedQuerySet):
    scope_field = "organisation__division"
    write_roles = {
        "add": {Role.PROVINCIAL_ADMIN, Role.SYSTEM_ADMIN},
        "change": {Role.PROVINCIAL_ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN},
    }


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        # Every request loads the user; its jurisdiction comes along in one query.
        return super().get_queryset().select_related("organisation__division")


class User(AbstractUser):
    """A person (or a portal's API identity) in one organisation, with one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    api_scopes = models.CharField(
        _("API scopes"),
        max_length=100,
        blank=True,
        help_text=_("Portal clients only: the OAuth2 scopes this client may request."),
    )

    objects = ScopedUserManager()
    # Contact details are personal data: the history keeps who changed what
    # and when, not phone numbers and e-mail addresses (organisations/masking.py).
    history = HistoricalRecords(excluded_fields=["last_login", "password", "phone", "email"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True)
                | ~models.Q(role="") & models.Q(organisation__isnull=False),
                name="user_has_role_and_org_unless_superuser",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.is_superuser:
            return
        if not self.role or self.organisation_id is None:
            raise ValidationError(_("Every user needs a role and an organisation."))
        if self.organisation.kind not in ROLE_ORG_KINDS[self.role]:
            raise ValidationError(
                _("A %(role)s cannot belong to a %(kind)s.")
                % {"role": self.get_role_display(), "kind": self.organisation.get_kind_display()}
            )

    @cached_property
    def jurisdiction(self):
        """The division whose subtree this user may see; None for superusers."""
        return self.organisation.division if self.organisation_id else None

    @property
    def jurisdiction_prefix(self) -> str:
        division = self.jurisdiction
        return division.prefix if division else ""

    @property
    def reviewer_kind(self) -> str | None:
        """organisation_dept, civil_affairs or agriculture for county reviewers."""
        if self.role == Role.COUNTY_REVIEWER and self.organisation_id:
            return self.organisation.kind
        return None
