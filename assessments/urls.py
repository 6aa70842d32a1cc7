from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("lists/<str:code>/<str:applies_to>/", views.list_page, name="list"),
    path("lists/<str:code>/<str:applies_to>/export.<str:fmt>", views.list_export, name="export"),
    path("lists/<str:code>/<str:applies_to>/manage/", views.list_manage, name="manage"),
    path("lists/<str:code>/<str:applies_to>/proposals/", views.proposals, name="proposals"),
    path("lists/<str:code>/<str:applies_to>/import/", views.list_import, name="import"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("results/<str:code>/", views.results, name="results"),
    path("survey/<int:pk>/", views.survey, name="survey"),
    path("survey/<int:pk>/answer/", views.survey_answer, name="survey_answer"),
    path("survey/<int:pk>/thanks/", views.survey_thanks, name="survey_thanks"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/criteria/", views.plan_criteria, name="plan_criteria"),
    path("plans/<int:pk>/scores/<str:village>/", views.plan_scores, name="plan_scores"),
    path("plans/<int:pk>/<str:action>/", views.plan_action, name="plan_action"),
]
