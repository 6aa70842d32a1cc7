"""Factories for the registry's models. Divisions are built from explicit codes."""

from __future__ import annotations

import factory

from divisions.models import Division, Level, SettlementKind
from organisations.choices import OrgKind, Role
from organisations.models import Organisation, User

PASSWORD = "Test-pass-2026"


def division(code: str, name: str, level: int, parent: Division | None = None, **extra) -> Division:
    """A division with its 12-digit padded code (``"150223"`` → ``150223000000``)."""
    obj, _ = Division.objects.get_or_create(
        code=code.ljust(12, "0"),
        defaults={"name": name, "level": level, "parent": parent, **extra},
    )
    return obj


def village(code: str, name: str, township: Division, **extra) -> Division:
    extra.setdefault("settlement_kind", SettlementKind.VILLAGE)
    return division(code, name, Level.VILLAGE, township, **extra)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"机构{n}")
    kind = OrgKind.COUNTY_DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.DEPT_SUBMITTER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()
