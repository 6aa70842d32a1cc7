"""The API of dynamic management, shared by every list: propose, then consult, assess, approve or reject.

A list's viewset subclasses :class:`ProposalViewSetBase` with its procedure, its
proposal serializer (:func:`proposal_serializer`) and its filter fields. A
service's refusal is a 400 with the message per field; a proposal (or a list)
outside the caller's jurisdiction is a 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.response import Response

from villageburden.api import ScopedReadOnlyViewSet, drf_validation_error
from villageburden.versioning import covers

from . import procedure as p


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


def proposal_serializer(
    proposal_model, step_model, list_field: str, name: str
) -> type[serializers.ModelSerializer]:
    """The serializer of a list's proposals (with their steps); ``name`` keeps the OpenAPI names apart."""

    step_meta = type("Meta", (), {"model": step_model, "fields": ["step", "actor", "opinion", "created"]})
    steps = type(
        f"{name}StepSerializer",
        (serializers.ModelSerializer,),
        {"actor": serializers.StringRelatedField(), "Meta": step_meta},
    )
    fields = [
        "id",
        list_field,
        "division",
        "action",
        "item_code",
        "item_data",
        "reason",
        "source",
        "status",
        "proposed_by",
        "applied_version",
        "steps",
        "created",
    ]
    meta = type(
        "Meta",
        (),
        {
            "model": proposal_model,
            "fields": fields,
            "read_only_fields": [
                "id",
                "division",
                "status",
                "proposed_by",
                "applied_version",
                "steps",
                "created",
            ],
        },
    )
    return type(
        f"{name}Serializer",
        (serializers.ModelSerializer,),
        {
            "steps": steps(many=True, read_only=True),
            "proposed_by": serializers.StringRelatedField(),
            "Meta": meta,
        },
    )


class ProposalViewSetBase(ScopedReadOnlyViewSet):
    """Dynamic management: propose, consult, assess, approve or reject (each step recorded)."""

    procedure: p.ListProcedure

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = drf_validation_error(exc)
        return super().handle_exception(exc)

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        field = self.procedure.list_field
        lists = self.procedure.list_model._default_manager.restrict(request.user)  # type: ignore[attr-defined]
        owner = get_object_or_404(lists, pk=v[field].pk)
        if not covers(request.user, owner.division):
            raise NotFound  # another county's list: foreign
        proposal = p.proposal_create(
            procedure=self.procedure,
            owner=owner,
            action=v["action"],
            item_data=v.get("item_data") or {},
            proposed_by=request.user,
            reason=v["reason"],
            item_code=v.get("item_code", ""),
            source=v.get("source", ""),
        )
        return Response(self.get_serializer(proposal).data, status=201)

    def _step(self, request, pk, step: str):
        proposals = self.procedure.proposal_model._default_manager.restrict(request.user)  # type: ignore[attr-defined]
        proposal = get_object_or_404(proposals, pk=pk)
        data = OpinionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = p.STEPS[step](
            procedure=self.procedure,
            proposal=proposal,
            user=request.user,
            opinion=data.validated_data["opinion"],
        )
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def consult(self, request, pk=None):
        return self._step(request, pk, "consult")

    @extend_schema(request=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        return self._step(request, pk, "assess")

    @extend_schema(request=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, pk, "approve")

    @extend_schema(request=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, pk, "reject")
