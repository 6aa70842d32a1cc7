"""Statuses and kinds of the annual forms plan (表格填报)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft (forms being integrated)")
    APPROVED = "approved", _("approved for the year")


class FormStatus(models.TextChoices):
    ACTIVE = "active", _("in the plan")
    MERGED = "merged", _("merged into another form")


class FieldKind(models.TextChoices):
    TEXT = "text", _("text")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("phone number")
    CHOICE = "choice", _("choice")
    FILE = "file", _("attachment")


# How a spreadsheet or a line of the registration form names a kind.
FIELD_KIND_INPUT = {
    "文本": FieldKind.TEXT,
    "数字": FieldKind.NUMBER,
    "数值": FieldKind.NUMBER,
    "日期": FieldKind.DATE,
    "身份证号": FieldKind.ID_NUMBER,
    "证件号": FieldKind.ID_NUMBER,
    "电话": FieldKind.PHONE,
    "手机": FieldKind.PHONE,
    "选项": FieldKind.CHOICE,
    "单选": FieldKind.CHOICE,
    "附件": FieldKind.FILE,
}
FIELD_KIND_LABEL = {
    FieldKind.TEXT: "文本",
    FieldKind.NUMBER: "数字",
    FieldKind.DATE: "日期",
    FieldKind.ID_NUMBER: "身份证号",
    FieldKind.PHONE: "电话",
    FieldKind.CHOICE: "选项",
    FieldKind.FILE: "附件",
}


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("approved")
