from django.urls import path

from . import views

app_name = "formsplan"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/register/", views.register, name="register"),
    path("plans/<int:pk>/approve/", views.approve, name="approve"),
    path("plans/<int:pk>/assign/", views.assign, name="assign"),
    path("plans/<int:pk>/import/", views.plan_import, name="import"),
    path("plans/<int:pk>/export.<str:fmt>", views.plan_export, name="export"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/merge/", views.form_merge, name="form_merge"),
    path("forms/<int:pk>/merge-field/", views.field_merge, name="field_merge"),
    path("unplanned/", views.unplanned, name="unplanned"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
]
