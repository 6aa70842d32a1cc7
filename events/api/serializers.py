"""The feed's and the webhooks' API shapes (input serializers validate only; services decide)."""

from __future__ import annotations

from rest_framework import serializers

from ..models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EventObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="app_label.model, e.g. gate.accessrequest")
    id = serializers.CharField()
    url = serializers.CharField(help_text="The object's API URL (empty if it has none).")


class EventSerializer(serializers.Serializer):
    """Documentation of ``services.payload`` (the one representation, also sent by webhooks)."""

    id = serializers.IntegerField()
    cursor = serializers.CharField(help_text="Pass as ?after= to read what follows this event.")
    type = serializers.CharField(help_text="One of /api/v1/event-types/, e.g. gate.request.approve")
    created = serializers.DateTimeField()
    division = serializers.CharField(allow_null=True, help_text="12-digit division code")
    object = EventObjectSerializer()
    body = serializers.DictField(help_text="Compact fields of the change; depends on the type.")


class EventPageSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="The next page's URL; null when you are at the end."
    )
    cursor = serializers.CharField(
        allow_null=True, help_text="Where to resume later (the last event's cursor, or the one you sent)."
    )


class EventTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    description = serializers.CharField()


class WebhookEndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        help_text="Types from /api/v1/event-types/; empty: every type.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "contact_email",
            "active",
            "disabled_at",
            "disabled_reason",
            "created",
        ]
        read_only_fields = ["id", "disabled_at", "disabled_reason", "created"]


class WebhookEndpointCreateSerializer(WebhookEndpointSerializer):
    from_now = serializers.BooleanField(
        default=True,
        write_only=True,
        help_text="Only events committed from now on (default), or the whole feed.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "from_now"]
        read_only_fields = [*WebhookEndpointSerializer.Meta.read_only_fields, "active"]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret, shown this once.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, shown this once.")


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started", "duration_ms", "status_code", "response_excerpt", "error"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event",
            "event_type",
            "status",
            "attempts",
            "created",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "attempt_log",
        ]
