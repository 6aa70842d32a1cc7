"""The scoped base viewsets every API endpoint builds on."""

from rest_framework import viewsets


class ScopedViewSetMixin:
    """Apply the model's ``restrict(user, action)`` to every queryset.

    Nothing reaches a serializer unscoped: an object outside the user's
    jurisdiction is simply not in the queryset, so it is a 404, never a 403
    that would leak its existence.
    """

    restrict_action_map = {
        "list": "view",
        "retrieve": "view",
        "create": "add",
        "update": "change",
        "partial_update": "change",
        "destroy": "delete",
    }

    def get_queryset(self):
        qs = super().get_queryset()
        action = self.restrict_action_map.get(self.action or "list", "view")
        return qs.restrict(self.request.user, action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
