from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("lists/<str:code>/", views.lists, name="lists"),
    path("notices/<str:code>/", views.notices, name="notices"),
    path("lists/<str:code>/export.<str:fmt>", views.lists_export, name="export"),
    path("lists/<str:code>/manage/", views.lists_manage, name="manage"),
    path("lists/<str:code>/publish/", views.lists_publish, name="publish"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("register/", views.register, name="register"),
    path("register/new/", views.request_new, name="request_new"),
    path("register/<int:pk>/", views.request_detail, name="request"),
    path("register/<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path("demands/", views.demands, name="demands"),
    path("figures/", views.figures, name="figures"),
]
