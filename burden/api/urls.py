from django.urls import path

from .views import BurdenAccountView, BurdenRowsView

urlpatterns = [
    path("burden-accounts/", BurdenAccountView.as_view(), name="burden-accounts"),
    path("burden-accounts/rows/", BurdenRowsView.as_view(), name="burden-account-rows"),
]
