from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("points/", views.points, name="points"),
    path("points/<int:pk>/assign/", views.point_assign, name="point_assign"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("ranking/<str:code>/", views.ranking, name="ranking"),
]
