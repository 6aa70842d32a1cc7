from django.urls import path

from . import twofactor

urlpatterns = [
    path("two-factor/", twofactor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", twofactor.two_factor_setup, name="two_factor_setup"),
]
