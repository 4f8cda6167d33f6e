"""The circle threads' REST API (thin: parse, call one service or selector, render)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from messaging import selectors, services
from messaging.models import Message
from themes.flags import FeatureEnabled

MESSAGING = FeatureEnabled("messaging")


class ThreadSerializer(serializers.Serializer):
    circle = serializers.UUIDField(source="public_id", read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    person_name = serializers.CharField(source="person.short_name", read_only=True)
    unread_count = serializers.IntegerField(read_only=True)
    last_message_at = serializers.DateTimeField(read_only=True, allow_null=True)


class MessageSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = serializers.UUIDField(source="author.public_id", read_only=True, allow_null=True)
    author_name = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "author", "author_name", "mine", "body", "created_at"]
        read_only_fields = ["id", "author", "author_name", "mine", "created_at"]

    def get_author_name(self, message) -> str:
        return message.author.get_full_name() if message.author else ""

    def get_mine(self, message) -> bool:
        request = self.context.get("request")
        return bool(request and message.author_id == request.user.pk)


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=4000)


class ReadSerializer(serializers.Serializer):
    message = serializers.UUIDField(required=False, allow_null=True)


class ThreadList(generics.ListAPIView):
    """The threads you can use (one per circle) with their unread counts."""

    permission_classes = [MESSAGING, IsAuthenticated]
    serializer_class = ThreadSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            from matching.models import Circle

            return Circle.objects.none()
        return selectors.circles_with_threads_for(self.request.user)


class ThreadDetail(generics.RetrieveAPIView):
    permission_classes = [MESSAGING, IsAuthenticated]
    serializer_class = ThreadSerializer

    def get_object(self):
        return selectors.access_circle_thread(self.request.user, self.kwargs["circle_id"])


class ThreadMessages(generics.ListCreateAPIView):
    """The circle's messages, newest first; post a new one (the other members are notified)."""

    permission_classes = [MESSAGING, IsAuthenticated]
    serializer_class = MessageSerializer
    filter_backends: list = []

    def get_circle(self):
        return selectors.access_circle_thread(self.request.user, self.kwargs["circle_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Message.objects.none()
        return selectors.messages_of(self.get_circle())

    @extend_schema(request=MessageCreateSerializer, responses={201: MessageSerializer})
    def post(self, request, *args, **kwargs):
        circle = self.get_circle()
        data = MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.post_message(
            acting_user=request.user, circle=circle, body=data.validated_data["body"]
        )
        return Response(
            MessageSerializer(message, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class MarkRead(APIView):
    """Mark the thread read (up to `message`, default: everything); answers the thread."""

    permission_classes = [MESSAGING, IsAuthenticated]

    @extend_schema(request=ReadSerializer, responses={200: ThreadSerializer})
    def post(self, request, circle_id):
        circle = selectors.access_circle_thread(request.user, circle_id)
        data = ReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = None
        if data.validated_data.get("message"):
            message = Message.objects.filter(
                thread__circle=circle, public_id=data.validated_data["message"]
            ).first()
            if message is None:
                raise ValidationError({"message": [_("Unknown message.")]})
        services.mark_read(acting_user=request.user, circle=circle, up_to_message=message)
        circle = selectors.access_circle_thread(request.user, circle_id)
        return Response(ThreadSerializer(circle).data)
