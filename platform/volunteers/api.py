"""Brand API for volunteers: own profile, staff directory, vetting pipeline."""

from __future__ import annotations

import django_filters
from accounts.permissions import IsBrandAdmin, IsCoordinator, is_staff_member
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from entraide.api_filters import standard_backends
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from volunteers import selectors, services
from volunteers.choices import SLOT_CHOICES, Interest, Language
from volunteers.models import MAX_RADIUS_KM, VettingRecord, VettingStep, VolunteerProfile


class VettingStepSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = VettingStep
        fields = ("id", "key", "name", "kind", "position", "validity_days", "is_active")


class VettingRecordSerializer(serializers.ModelSerializer):
    step = serializers.SlugRelatedField(slug_field="key", read_only=True)
    completed_by = serializers.SerializerMethodField()

    class Meta:
        model = VettingRecord
        fields = ("step", "completed_by", "completed_at", "expires_on", "note")

    def get_completed_by(self, obj) -> str | None:
        return obj.completed_by.get_full_name() if obj.completed_by else None


class ProfileSerializer(serializers.ModelSerializer):
    """A volunteer's profile. The id is the volunteer's (user) id. Location: send `address` (it is
    geocoded) or `latitude` + `longitude` (a point picked on a map)."""

    id = serializers.UUIDField(source="user.public_id", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    radius_km = serializers.FloatField(required=False, min_value=0.5, max_value=MAX_RADIUS_KM)
    availability = serializers.ListField(
        child=serializers.ChoiceField(choices=SLOT_CHOICES), required=False, max_length=21
    )
    interests = serializers.ListField(
        child=serializers.ChoiceField(choices=Interest.choices),
        required=False,
        max_length=len(Interest.choices),
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices),
        required=False,
        max_length=len(Language.choices),
    )
    max_people = serializers.IntegerField(required=False, min_value=1, max_value=20)

    class Meta:
        model = VolunteerProfile
        fields = (
            "id",
            "full_name",
            "email",
            "phone",
            "address",
            "district",
            "latitude",
            "longitude",
            "location_source",
            "radius_km",
            "availability",
            "interests",
            "languages",
            "max_people",
            "current_load",
            "status",
            "validated_at",
            "background_check_expires_on",
            "created_at",
        )
        read_only_fields = (
            "district",
            "location_source",
            "current_load",
            "status",
            "validated_at",
            "background_check_expires_on",
            "created_at",
        )
        extra_kwargs = {
            "address": {"required": False, "allow_blank": True},
            "phone": {"required": False, "allow_blank": True},
        }

    def validate(self, attrs):
        if ("latitude" in attrs) != ("longitude" in attrs):
            raise serializers.ValidationError(
                {"latitude": [_("Give both latitude and longitude.")]}
            )
        return attrs


class CompleteStepSerializer(serializers.Serializer):
    step = serializers.SlugField(max_length=40, help_text="The step's key, e.g. interview.")
    expires_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=VolunteerProfile.Status.choices)


class VettingProgressSerializer(serializers.Serializer):
    step = VettingStepSerializer()
    record = VettingRecordSerializer(allow_null=True)


class ProfileFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VolunteerProfile.Status.choices)
    interest = django_filters.ChoiceFilter(
        field_name="interests",
        lookup_expr="contains",
        choices=Interest.choices,
        method="filter_array",
    )
    language = django_filters.ChoiceFilter(
        field_name="languages", choices=Language.choices, method="filter_array"
    )
    available = django_filters.ChoiceFilter(
        field_name="availability", choices=SLOT_CHOICES, method="filter_array"
    )
    district = django_filters.CharFilter(lookup_expr="icontains")
    has_room = django_filters.BooleanFilter(method="filter_has_room")

    class Meta:
        model = VolunteerProfile
        fields = ("status", "district")

    def filter_array(self, queryset, name, value):
        return queryset.filter(**{f"{name}__contains": [value]}) if value else queryset

    def filter_has_room(self, queryset, name, value):
        from django.db.models import F

        if value is None:
            return queryset
        return (
            queryset.filter(current_load__lt=F("max_people"))
            if value
            else queryset.filter(current_load__gte=F("max_people"))
        )


def _update(profile, request, data):
    return services.update_profile(profile=profile, acting_user=request.user, **data)


class VolunteerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: the brand's volunteers. Anyone: `me` (their own profile, created on first use)."""

    serializer_class = ProfileSerializer
    permission_classes = [IsAuthenticated]
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"
    filter_backends = standard_backends()
    filterset_class = ProfileFilter
    search_fields = ("user__full_name", "user__email", "district")
    ordering_fields = ("user__full_name", "created_at", "current_load")

    def get_queryset(self):
        return selectors.profile_list()

    def list(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied()
        return super().list(request, *args, **kwargs)

    def get_object(self):
        return selectors.access_profile(self.request.user, self.kwargs["id"])

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def partial_update(self, request, id=None):
        profile = self.get_object()
        serializer = ProfileSerializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(
            ProfileSerializer(_update(profile, request, serializer.validated_data)).data
        )

    @extend_schema(methods=["GET"], responses=ProfileSerializer)
    @extend_schema(methods=["PATCH"], request=ProfileSerializer, responses=ProfileSerializer)
    @action(detail=False, methods=["get", "patch"])
    def me(self, request):
        profile = services.get_or_create_profile(user=request.user)
        if request.method == "PATCH":
            serializer = ProfileSerializer(profile, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            profile = _update(profile, request, serializer.validated_data)
        profile = selectors.profile_list().get(pk=profile.pk)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(request=None, responses=VettingRecordSerializer)
    @action(detail=False, methods=["post"], url_path="me/sign-charter")
    def sign_charter(self, request):
        """The volunteer signs the brand's charter (the pipeline's charter step)."""
        profile = services.get_or_create_profile(user=request.user)
        step = (
            VettingStep.objects.filter(is_active=True, kind=VettingStep.Kind.CHARTER)
            .order_by("position")
            .first()
        )
        if step is None:
            raise PermissionDenied()
        record = services.complete_step(profile=profile, step=step, acting_user=request.user)
        return Response(VettingRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=VettingProgressSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CompleteStepSerializer, responses={201: VettingRecordSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def vetting(self, request, id=None):
        profile = self.get_object()
        if request.method == "GET":
            return Response(
                VettingProgressSerializer(selectors.vetting_progress(profile), many=True).data
            )
        serializer = CompleteStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = VettingStep.objects.filter(
            key=serializer.validated_data["step"], is_active=True
        ).first()
        if step is None:
            raise serializers.ValidationError({"step": [_("Unknown step.")]})
        record = services.complete_step(
            profile=profile,
            step=step,
            acting_user=request.user,
            expires_on=serializer.validated_data.get("expires_on"),
            note=serializer.validated_data.get("note", ""),
        )
        return Response(VettingRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatusSerializer, responses=ProfileSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsCoordinator])
    def status(self, request, id=None):
        profile = self.get_object()
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.set_status(
            profile=profile, acting_user=request.user, status=serializer.validated_data["status"]
        )
        return Response(ProfileSerializer(profile).data)


class VettingStepViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The brand's vetting pipeline: staff read it, brand admins change it (deactivate, never delete:
    records point at steps)."""

    serializer_class = VettingStepSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"
    queryset = VettingStep.objects.order_by("position", "id")
    filter_backends = standard_backends()
    filterset_fields = ("kind", "is_active")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [IsCoordinator()]
        return [IsBrandAdmin()]
