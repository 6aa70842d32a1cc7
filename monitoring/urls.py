from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("points/", views.points, name="points"),
    path("points/export/", views.points_export, name="points_export"),
    path("points/import/", views.points_import, name="import"),
    path("points/import/<int:pk>/", views.import_job, name="import_job"),
    path("points/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("points/<int:pk>/assign/", views.point_assign, name="point_assign"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("ranking/<str:code>/", views.ranking, name="ranking"),
]
