from django.urls import path

from . import views

app_name = "signage"

urlpatterns = [
    path("villages/", views.villages, name="villages"),
    path("villages/<str:code>/", views.village, name="village"),
    path("villages/<str:code>/add/", views.plaque_add, name="plaque_add"),
    path("villages/<str:code>/preview/", views.preview, name="preview"),
    path("villages/<str:code>/mechanisms/add/", views.mechanism_add, name="mechanism_add"),
    path("plaque/<int:pk>/edit/", views.plaque_edit, name="plaque_edit"),
    path("plaque/<int:pk>/remove/", views.plaque_remove, name="plaque_remove"),
    path("plaque/<int:pk>/photo/<str:which>/", views.photo, name="photo"),
    path("export/<str:code>/", views.inventory_export, name="export"),
    path("import/", views.plaque_import, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("mechanisms/", views.mechanisms, name="mechanisms"),
    path("mechanisms/<int:pk>/", views.mechanism, name="mechanism"),
    path("mechanisms/<int:pk>/decide/", views.mechanism_decide, name="mechanism_decide"),
    path("mechanisms/<int:pk>/cleanup/", views.mechanism_cleanup, name="mechanism_cleanup"),
    path("manage/<str:code>/", views.manage, name="manage"),
    path("manage/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("manage/rulesets/<int:ruleset>/rules/new/", views.rule_edit, name="rule_add"),
    path("figures/<str:code>/", views.figures, name="figures"),
    path("<str:code>/", views.rules, name="rules"),
]
