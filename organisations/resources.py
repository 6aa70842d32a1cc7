"""Organisations and accounts in and out of spreadsheets, for the admin (django-import-export).

A county creates hundreds of staff accounts from one spreadsheet. Every row
goes through ``organisations.services`` (the checks and saves the admin's
forms use): existing rows are found only inside the importer's jurisdiction,
each row is checked with ``organisation_check`` / ``user_check`` (scope, the
role fits the organisation, no portal clients, no administrators) and saved
with ``organisation_save`` / ``user_save`` (locked, audited). New accounts get
an unusable password (the person sets one through "forgot password"); the
file has no password column, and none is ever read from it. Phone numbers are
neither imported nor exported; e-mail addresses are exported masked, and a
masked address on import leaves the stored one as it is.

Headers are Chinese; cells a
spreadsheet would run as formulas are exported with a leading quote.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from divisions.models import Division
from villageburden.exports import neutralise

from . import services
from .choices import OrgKind, Role
from .models import Organisation, User

MASK = "***"


def mask_email(value: str) -> str:
    """``zhang.san@example.cn`` → ``z***@example.cn``."""
    if not value or "@" not in value:
        return ""
    local, _at, domain = value.partition("@")
    return f"{local[:1]}{MASK}@{domain}"


class ChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label on export; the label or the key accepted on import."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        for key, label in self.choices.choices:
            if text in (key, str(label)):
                return key
        raise ValueError(_("Unknown value “%(value)s”.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        labels = dict(self.choices.choices)
        return str(labels.get(value, value or ""))


class YesNoWidget(widgets.BooleanWidget):
    YES, NO = (
        ("是", "1", "true", "True", "TRUE", "yes", "启用"),
        ("否", "0", "false", "False", "FALSE", "no", "停用"),
    )

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if text == "":
            return True
        if text in self.YES or value is True:
            return True
        if text in self.NO or value is False:
            return False
        raise ValueError(_("Write 是 or 否."))

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key written as its code; an unknown code is an error of its cell, in Chinese."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        if self.model is Division:
            text = text.ljust(12, "0")
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: text})
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(what)s with the code %(code)s.")
                % {"what": self.model._meta.verbose_name, "code": text}
            ) from None


class RegistryResource(resources.ModelResource):
    """Rows found in the importer's jurisdiction, checked and saved by the organisations services."""

    def __init__(self, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor

    def get_queryset(self):
        return self._meta.model.objects.restrict(self.actor, "change")

    def before_import_row(self, row, **kwargs):
        if self.actor is None:
            self.actor = kwargs.get("user")

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    def check(self, instance) -> None:
        raise NotImplementedError

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                self.check(instance)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise ValidationError({"__all__": exc.messages}) from None
                errors = exc.message_dict
        if errors:
            raise ValidationError(errors)


class OrganisationResource(RegistryResource):
    code = fields.Field(attribute="code", column_name="机构编码")
    name = fields.Field(attribute="name", column_name="机构名称")
    kind = fields.Field(attribute="kind", column_name="机构类型", widget=ChoiceWidget(OrgKind))
    division = fields.Field(
        attribute="division", column_name="区划代码", widget=CodeWidget(Division, field="code")
    )
    email = fields.Field(attribute="email", column_name="电子邮件")

    class Meta:
        model = Organisation
        name = gettext_lazy("organisations")
        fields = ("code", "name", "kind", "division", "email")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def check(self, instance) -> None:
        services.organisation_check(actor=self.actor, organisation=instance)

    def save_instance(self, instance, is_create, row, **kwargs):
        services.organisation_save(actor=self.actor, organisation=instance)


class UserResource(RegistryResource):
    username = fields.Field(attribute="username", column_name="用户名")
    display_name = fields.Field(attribute="display_name", column_name="姓名")
    organisation = fields.Field(
        attribute="organisation", column_name="机构编码", widget=CodeWidget(Organisation, field="code")
    )
    role = fields.Field(attribute="role", column_name="角色", widget=ChoiceWidget(Role))
    email = fields.Field(attribute="email", column_name="电子邮件")
    is_active = fields.Field(attribute="is_active", column_name="启用", widget=YesNoWidget())

    class Meta:
        model = User
        name = gettext_lazy("accounts")
        fields = ("username", "display_name", "organisation", "role", "email", "is_active")
        import_id_fields = ("username",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def dehydrate_email(self, user):
        return mask_email(user.email)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # An exported (masked) address leaves the stored one as it is.
        if field.attribute == "email" and MASK in str(row.get(field.column_name) or ""):
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.set_unusable_password()

    def check(self, instance) -> None:
        services.user_check(actor=self.actor, user=instance)

    def save_instance(self, instance, is_create, row, **kwargs):
        services.user_save(actor=self.actor, user=instance)
