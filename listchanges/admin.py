"""Admin bases for every list's proposals: read-only, steps inline (every change goes through the procedure)."""

from django.contrib import admin


def steps_inline(step_model) -> type[admin.TabularInline]:
    """The read-only inline of a proposal's recorded steps."""

    class StepInline(admin.TabularInline):
        model = step_model
        extra = 0
        can_delete = False
        readonly_fields = ["step", "actor", "opinion", "created"]

        def has_add_permission(self, request, obj=None):
            return False

    return StepInline


PROPOSAL_LIST_DISPLAY = ["__str__", "action", "status", "proposed_by", "created"]
PROPOSAL_LIST_FILTER = ["status", "action"]
