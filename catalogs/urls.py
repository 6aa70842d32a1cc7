from django.urls import path
from django.views.generic import RedirectView

app_name = "catalogs"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="workbench:home"), name="index"),
]
