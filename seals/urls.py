from django.urls import path

from . import views

app_name = "seals"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("lists/<str:code>/", views.seal_list, name="list"),
    path("coverage/<str:code>/", views.coverage, name="coverage"),
]
