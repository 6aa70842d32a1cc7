from django.urls import path

from . import views

app_name = "catalogs"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/draft/", views.draft_create, name="draft_create"),
    path("<int:pk>/draft/discard/", views.draft_discard, name="draft_discard"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/import/", views.import_upload, name="import"),
    path("<int:pk>/items/new/", views.item_new, name="item_new"),
    path("<int:pk>/proposals/", views.proposals, name="proposals"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/not-applicable/", views.item_not_applicable, name="item_not_applicable"),
    path("items/<int:pk>/reinstate/", views.item_reinstate, name="item_reinstate"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("public/", views.public_index, name="public_index"),
    path("public/<str:code>/", views.public_catalogue, name="public"),
    path("public/<str:code>/export/", views.public_export, name="public_export"),
]
