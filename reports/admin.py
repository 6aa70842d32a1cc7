from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import LedgerJob, PlanTask, Report


@admin.register(PlanTask)
class PlanTaskAdmin(ReadOnlyScopedAdmin):
    list_display = ["division", "number", "task", "lead_units", "deadline_text", "status"]
    list_filter = ["status"]


@admin.register(Report)
class ReportAdmin(ReadOnlyScopedAdmin):
    list_display = ["division", "kind", "period_start", "period_end", "document", "emailed_at"]
    list_filter = ["kind"]


@admin.register(LedgerJob)
class LedgerJobAdmin(ReadOnlyScopedAdmin):
    list_display = ["division", "date_from", "date_to", "status", "rows_written", "created_by", "created"]
    list_filter = ["status"]
