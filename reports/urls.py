from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="index"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger/jobs/<int:pk>/", views.ledger_job, name="ledger_job"),
    path("ledger/jobs/<int:pk>/ledger.xlsx", views.ledger_job_file, name="ledger_job_file"),
    path("r/<int:pk>/", views.report_detail, name="detail"),
    path("r/<int:pk>/report.pdf", views.report_pdf, name="pdf"),
    path("r/<int:pk>/report.xlsx", views.report_xlsx, name="xlsx"),
    path("subscribe/<str:code>/<str:kind>/", views.subscription_toggle, name="subscribe"),
    path("plan/", views.plan_list, name="plan"),
    path("plan/<int:pk>/", views.plan_task, name="plan_task"),
    path("plan/county/<str:code>/new/", views.plan_new, name="plan_new"),
    path("plan/county/<str:code>/export.xlsx", views.plan_export, name="plan_export"),
    path("plan/county/<str:code>/import/", views.plan_import, name="plan_import"),
    path("plan/imports/<int:pk>/", views.import_job, name="import_job"),
    path("plan/imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
]
