"""The outings REST API (thin: parse, call one service or selector, render)."""

from __future__ import annotations

import datetime as dt

import django_filters
from accounts.permissions import IsCoordinator, is_staff_member
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from outings import selectors, services
from outings.ics import outing_calendar
from outings.models import Outing, OutingSignup
from themes.flags import FeatureEnabled

OUTINGS = FeatureEnabled("outings")


class OutingFullError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Sorry, this outing is full.")
    default_code = "full"


class CoordinatorWrites(IsCoordinator):
    """Everyone of the brand reads; only coordinators write."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or super().has_permission(request, view)


class OutingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    places_taken = serializers.IntegerField(read_only=True)
    places_left = serializers.SerializerMethodField()
    signed_up = serializers.BooleanField(read_only=True)
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Outing
        fields = [
            "id",
            "title",
            "description",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "places_taken",
            "places_left",
            "accessibility_notes",
            "signed_up",
            "calendar_url",
            "cancelled_at",
            "cancellation_reason",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "places_taken",
            "places_left",
            "signed_up",
            "calendar_url",
            "cancelled_at",
            "cancellation_reason",
            "created_at",
        ]

    def get_places_left(self, outing) -> int:
        if outing.cancelled_at is not None:
            return 0
        return max(outing.capacity - getattr(outing, "places_taken", 0), 0)

    def get_calendar_url(self, outing) -> str:
        return f"/api/outings/{outing.public_id}/calendar.ics"


class OutingWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    place = serializers.CharField(max_length=300)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    accessibility_notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 allows offsets PostgreSQL refuses (beyond ±15:59): compare in UTC."""

    def filter(self, qs, value):
        if value is not None:
            value = value.astimezone(dt.UTC)
        return super().filter(qs, value)


class OutingFilter(django_filters.FilterSet):
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", label=_("only outings that have not ended")
    )
    cancelled = django_filters.BooleanFilter(
        field_name="cancelled_at", lookup_expr="isnull", exclude=True
    )
    starts_after = UTCIsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UTCIsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Outing
        fields = ["upcoming", "cancelled", "starts_after", "starts_before"]

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(ends_at__gt=now) if value else queryset.filter(ends_at__lte=now)


class OutingListCreate(generics.ListCreateAPIView):
    permission_classes = [OUTINGS, IsAuthenticated, CoordinatorWrites]
    serializer_class = OutingSerializer
    filterset_class = OutingFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Outing.objects.none()
        return selectors.outings_for(self.request.user, include_cancelled=True)

    @extend_schema(request=OutingWriteSerializer, responses={201: OutingSerializer})
    def post(self, request, *args, **kwargs):
        data = OutingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outing = services.create_outing(acting_user=request.user, **data.validated_data)
        outing = selectors.access_outing(request.user, outing.public_id)
        return Response(OutingSerializer(outing).data, status=status.HTTP_201_CREATED)


class OutingDetail(generics.RetrieveUpdateAPIView):
    # Coordinators only for writes, checked after the lookup: an outing of another brand (or
    # none) is a 404 for everyone, before any "forbidden".
    permission_classes = [OUTINGS, IsAuthenticated]
    serializer_class = OutingSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return selectors.access_outing(self.request.user, self.kwargs["public_id"])

    @extend_schema(request=OutingWriteSerializer(partial=True), responses={200: OutingSerializer})
    def patch(self, request, *args, **kwargs):
        outing = self.get_object()
        if not is_staff_member(request.user):
            raise exceptions.PermissionDenied()
        data = OutingWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_outing(acting_user=request.user, outing=outing, **data.validated_data)
        outing = selectors.access_outing(request.user, outing.public_id)
        return Response(OutingSerializer(outing).data)


class OutingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CancelOuting(APIView):
    """Coordinators: call the outing off; every participant is told."""

    permission_classes = [OUTINGS, IsAuthenticated]

    @extend_schema(request=OutingCancelSerializer, responses={200: OutingSerializer})
    def post(self, request, public_id):
        outing = selectors.access_outing(request.user, public_id)
        if not is_staff_member(request.user):
            raise exceptions.PermissionDenied()
        data = OutingCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cancel_outing(
            acting_user=request.user, outing=outing, reason=data.validated_data["reason"]
        )
        outing = selectors.access_outing(request.user, outing.public_id)
        return Response(OutingSerializer(outing).data)


class OutingSignupSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    outing = serializers.UUIDField(source="outing.public_id", read_only=True)
    volunteer = serializers.UUIDField(source="volunteer.public_id", read_only=True, allow_null=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True, allow_null=True)
    name = serializers.CharField(source="participant_label", read_only=True)

    class Meta:
        model = OutingSignup
        fields = ["id", "outing", "volunteer", "person", "name", "created_at", "cancelled_at"]
        read_only_fields = fields


class OutingSignupCreateSerializer(serializers.Serializer):
    person = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Coordinators: the accompanied person to register. Empty: sign yourself up."),
    )


class SignupFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="cancelled_at", lookup_expr="isnull")

    class Meta:
        model = OutingSignup
        fields = ["active"]


class OutingSignups(generics.ListCreateAPIView):
    """Sign-ups of an outing: coordinators see all of them, a volunteer only their own."""

    permission_classes = [OUTINGS, IsAuthenticated]
    serializer_class = OutingSignupSerializer
    filterset_class = SignupFilter

    def get_outing(self):
        return selectors.access_outing(self.request.user, self.kwargs["public_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return OutingSignup.objects.none()
        return selectors.signups_for(self.request.user, self.get_outing())

    @extend_schema(request=OutingSignupCreateSerializer, responses={201: OutingSignupSerializer})
    def post(self, request, *args, **kwargs):
        outing = self.get_outing()
        data = OutingSignupCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = None
        if data.validated_data.get("person"):
            person = selectors.person_to_register(request.user, data.validated_data["person"])
        try:
            signup = services.sign_up(acting_user=request.user, outing=outing, person=person)
        except services.OutingFull as full:
            raise OutingFullError(full.messages[0]) from None
        return Response(OutingSignupSerializer(signup).data, status=status.HTTP_201_CREATED)


class CancelSignup(APIView):
    permission_classes = [OUTINGS, IsAuthenticated]

    @extend_schema(request=None, responses={200: OutingSignupSerializer})
    def post(self, request, public_id):
        signup = selectors.access_signup(request.user, public_id)
        signup = services.cancel_signup(acting_user=request.user, signup=signup)
        return Response(OutingSignupSerializer(signup).data)


class OutingCalendar(APIView):
    """The outing as an iCalendar file, to add to any calendar app."""

    permission_classes = [OUTINGS, IsAuthenticated]

    @extend_schema(responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR)})
    def get(self, request, public_id):
        from visits.services import brand_timezone

        outing = selectors.access_outing(request.user, public_id)
        body = outing_calendar(outing, brand=connection.tenant, tz=brand_timezone())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="outing-{outing.public_id}.ics"'
        return response
