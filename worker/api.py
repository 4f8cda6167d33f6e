"""The web app's notification endpoints (brand hosts, /api/notifications/...). Thin: parse,
call a service, answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from worker import selectors, services
from worker.models import Channel


def _invalid(exc: ValidationError) -> Response:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)
    keys = PushKeysSerializer()


class PushUnsubscribeSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=64)
    channel = serializers.ChoiceField(choices=Channel.choices)
    enabled = serializers.BooleanField()


class MobileNumberSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, allow_blank=True)


class PushKeyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: None}, summary="The brand's VAPID public key (applicationServerKey)"
    )
    def get(self, request):
        from worker.vapid import keys_for_current_brand

        return Response({"public_key": keys_for_current_brand().public_key})


class PushSubscriptionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PushSubscriptionSerializer, responses={201: None})
    def post(self, request):
        data = PushSubscriptionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            subscription = services.subscribe_push(
                acting_user=request.user,
                endpoint=data.validated_data["endpoint"],
                p256dh=data.validated_data["keys"]["p256dh"],
                auth=data.validated_data["keys"]["auth"],
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as exc:
            return _invalid(exc)
        return Response({"id": str(subscription.public_id)}, status=status.HTTP_201_CREATED)

    @extend_schema(request=PushUnsubscribeSerializer, responses={204: None, 404: None})
    def delete(self, request):
        data = PushUnsubscribeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not services.unsubscribe_push(
            acting_user=request.user, endpoint=data.validated_data["endpoint"]
        ):
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PreferenceSerializer(many=True)})
    def get(self, request):
        return Response(selectors.preferences_for(request.user))

    @extend_schema(
        request=PreferenceSerializer(many=True), responses={200: PreferenceSerializer(many=True)}
    )
    def put(self, request):
        items = PreferenceSerializer(data=request.data, many=True)
        items.is_valid(raise_exception=True)
        try:
            for item in items.validated_data:
                services.set_preference(acting_user=request.user, **item)
        except ValidationError as exc:
            return _invalid(exc)
        return Response(selectors.preferences_for(request.user))


class MobileNumberView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=MobileNumberSerializer, responses={200: MobileNumberSerializer})
    def put(self, request):
        data = MobileNumberSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            mobile = services.set_mobile_number(
                acting_user=request.user, number=data.validated_data["number"]
            )
        except ValidationError as exc:
            return _invalid(exc)
        return Response({"number": mobile.e164 if mobile else ""})
