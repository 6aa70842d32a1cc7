from django.urls import path

from . import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public_index, name="public"),
    path("audit/", views.audit_trail, name="audit"),
]
