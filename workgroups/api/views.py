"""REST endpoints of the registry of work groups and apps: list, register, decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from villageburden.api import ScopedReadOnlyViewSet, ServiceErrors

from .. import services
from ..models import WorkChannel
from . import serializers as s


class WorkChannelViewSet(ServiceErrors, ScopedReadOnlyViewSet):
    """WeChat work groups and government apps aimed at villages, with the county's clean-up decisions."""

    queryset = WorkChannel.objects.select_related("owner").prefetch_related("reach", "decisions")
    serializer_class = s.WorkChannelSerializer
    filterset_fields = ["kind", "status", "county"]
    restrict_action_map = {**ScopedReadOnlyViewSet.restrict_action_map, "create": "view", "decide": "view"}

    @extend_schema(request=s.ChannelRegisterSerializer, responses={201: s.WorkChannelSerializer})
    def create(self, request):
        data = s.ChannelRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = services.channel_register(user=request.user, data=dict(data.validated_data))
        return Response(
            self.get_serializer(self.get_queryset().get(pk=channel.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.DecideSerializer, responses=s.WorkChannelSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Keep, merge or close, with a reason and the date it takes effect."""
        data = s.DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        channel = self.get_object()
        into_id = v.pop("merge_into", None)
        into = get_object_or_404(self.get_queryset(), pk=into_id) if into_id else None
        services.cleanup_decide(user=request.user, channel=channel, merge_into=into, **v)
        return Response(self.get_serializer(self.get_queryset().get(pk=channel.pk)).data)
