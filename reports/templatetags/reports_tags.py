"""What the reports pages' navigation offers a user: the ledger only to those who may download it."""

from django import template

from reports import ledger

register = template.Library()


@register.filter
def may_download_ledger(user) -> bool:
    return ledger.may_download(user)
