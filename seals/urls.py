from django.urls import path

from . import views

app_name = "seals"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("lists/<str:code>/", views.seal_list, name="list"),
    path("lists/<str:code>/export.<str:fmt>", views.export, name="export"),
    path("lists/<str:code>/manage/", views.manage, name="manage"),
    path("lists/<str:code>/manage/draft/", views.draft_open, name="draft_open"),
    path("lists/<str:code>/manage/items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("lists/<str:code>/import/", views.list_import, name="import"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("coverage/<str:code>/", views.coverage, name="coverage"),
]
