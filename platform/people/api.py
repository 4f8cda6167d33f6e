"""Brand API for isolated people. Staff get full records (each read of one is audited); a
volunteer gets the reduced view until their match is confirmed."""

from __future__ import annotations

import django_filters
from accounts.models import User
from accounts.permissions import IsCoordinator, is_staff_member
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from entraide.api_filters import standard_backends
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from volunteers.choices import SLOT_CHOICES, Interest, Language

from people import selectors, services
from people.models import ConsentRecord, Need, Person, PersonAccessLog


class ReducedPersonSerializer(serializers.Serializer):
    """All a volunteer sees before a match is confirmed."""

    id = serializers.UUIDField(source="public_id")
    first_name = serializers.CharField()
    last_initial = serializers.CharField()
    district = serializers.CharField()
    approximate_distance_km = serializers.FloatField(allow_null=True)
    view = serializers.SerializerMethodField()

    def get_view(self, obj) -> str:
        return "reduced"


class ConsentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    recorded_by = serializers.SerializerMethodField()
    given_at = serializers.DateTimeField(required=False)

    class Meta:
        model = ConsentRecord
        fields = ("id", "given_at", "method", "purpose", "given_by", "recorded_by", "withdrawn_at")
        read_only_fields = ("withdrawn_at",)
        extra_kwargs = {"given_by": {"required": False, "allow_blank": True}}

    def get_recorded_by(self, obj) -> str | None:
        return obj.recorded_by.get_full_name() if obj.recorded_by else None


class CoordinatorField(serializers.SlugRelatedField):
    def get_queryset(self):
        return User.objects.filter(
            role__in=[User.Role.COORDINATOR, User.Role.BRAND_ADMIN], is_active=True
        )


def _codes(choices, *, max_length):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, max_length=max_length
    )


class PersonSerializer(serializers.ModelSerializer):
    """The full record (staff; volunteers of the person's circle)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    coordinator = CoordinatorField(slug_field="public_id", required=False, allow_null=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    needs = _codes(Need.choices, max_length=len(Need.choices))
    preferred_times = _codes(SLOT_CHOICES, max_length=21)
    interests = _codes(Interest.choices, max_length=len(Interest.choices))
    languages = _codes(Language.choices, max_length=len(Language.choices))
    max_volunteers = serializers.IntegerField(required=False, min_value=1, max_value=20)
    view = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = (
            "id",
            "first_name",
            "last_name",
            "phone",
            "email",
            "address",
            "district",
            "latitude",
            "longitude",
            "needs",
            "preferred_times",
            "interests",
            "languages",
            "notes",
            "coordinator",
            "max_volunteers",
            "status",
            "last_contact_at",
            "created_at",
            "view",
        )
        read_only_fields = ("last_contact_at", "created_at")
        extra_kwargs = {
            f: {"required": False, "allow_blank": True}
            for f in ("phone", "email", "address", "district", "notes")
        }

    def get_view(self, obj) -> str:
        return "full"

    def validate(self, attrs):
        if ("latitude" in attrs) != ("longitude" in attrs):
            raise serializers.ValidationError(
                {"latitude": [_("Give both latitude and longitude.")]}
            )
        return attrs


class PersonCreateSerializer(PersonSerializer):
    consent = ConsentSerializer(
        write_only=True, help_text="The record of the person's consent (required)."
    )

    class Meta(PersonSerializer.Meta):
        fields = (*PersonSerializer.Meta.fields, "consent")


class PersonListItemSerializer(serializers.ModelSerializer):
    """The staff list: enough to find someone, not the full record (reading that is audited)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    coordinator = serializers.SlugRelatedField(slug_field="public_id", read_only=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "first_name",
            "last_name",
            "district",
            "needs",
            "status",
            "coordinator",
            "max_volunteers",
            "last_contact_at",
            "created_at",
        )


class AccessLogSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_public_id")
    user = serializers.CharField(source="user_email")

    class Meta:
        model = PersonAccessLog
        fields = ("person", "user", "channel", "action", "at")


def _person_data(validated: dict) -> dict:
    return {k: v for k, v in validated.items() if k != "consent"}


class PersonFilter(django_filters.FilterSet):
    need = django_filters.ChoiceFilter(
        field_name="needs", choices=Need.choices, method="filter_array"
    )
    district = django_filters.CharFilter(lookup_expr="icontains")
    coordinator = django_filters.UUIDFilter(field_name="coordinator__public_id")
    has_circle = django_filters.BooleanFilter(method="filter_has_circle")

    class Meta:
        model = Person
        fields = ("status", "district")

    def filter_array(self, queryset, name, value):
        return queryset.filter(**{f"{name}__contains": [value]}) if value else queryset

    def filter_has_circle(self, queryset, name, value):
        if value is None:
            return queryset
        active = {"circle__memberships__left_at__isnull": True}
        return (
            queryset.filter(**active).distinct()
            if value
            else queryset.exclude(pk__in=Person.objects.filter(**active).values("pk"))
        )


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated]
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"
    filter_backends = standard_backends()
    filterset_class = PersonFilter
    search_fields = ("first_name", "last_name", "district")
    ordering_fields = ("first_name", "last_name", "created_at", "last_contact_at")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Person.objects.none()
        return selectors.person_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return PersonCreateSerializer
        if self.action == "list":
            return PersonListItemSerializer
        return PersonSerializer

    def _require_staff(self):
        if not is_staff_member(self.request.user):
            raise PermissionDenied()

    @extend_schema(
        responses=PersonListItemSerializer(many=True),
        description="Staff: every person (list fields only). Volunteers: the people of their "
        "circles (full) and people proposed to them (reduced view).",
    )
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if is_staff_member(request.user):
            data = PersonListItemSerializer(page, many=True).data
        else:
            data = [
                PersonSerializer(p).data
                if p.is_matched
                else ReducedPersonSerializer(selectors.reduce(p, volunteer=request.user)).data
                for p in page
            ]
        return self.get_paginated_response(data)

    @extend_schema(responses=PersonSerializer)
    def retrieve(self, request, id=None):
        seen = selectors.view_person(request.user, id)
        if isinstance(seen, selectors.ReducedPerson):
            return Response(ReducedPersonSerializer(seen).data)
        return Response(PersonSerializer(seen).data)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        self._require_staff()
        serializer = PersonCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.register_person(
            acting_user=request.user,
            consent=serializer.validated_data["consent"],
            **_person_data(serializer.validated_data),
        )
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonSerializer, responses=PersonSerializer)
    def partial_update(self, request, id=None):
        self._require_staff()
        person = selectors.access_person(request.user, id)
        serializer = PersonSerializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = services.update_person(
            person=person, acting_user=request.user, **serializer.validated_data
        )
        return Response(PersonSerializer(person).data)

    @extend_schema(methods=["GET"], responses=ConsentSerializer(many=True))
    @extend_schema(methods=["POST"], request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[IsCoordinator],
        pagination_class=None,
        filter_backends=[],
    )
    def consents(self, request, id=None):
        person = selectors.access_person(request.user, id)
        if request.method == "GET":
            return Response(
                ConsentSerializer(person.consents.select_related("recorded_by"), many=True).data
            )
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.record_consent(
            person=person, acting_user=request.user, **serializer.validated_data
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=inline_serializer(
            "Candidate",
            {
                "volunteer": serializers.UUIDField(),
                "name": serializers.CharField(),
                "distance_km": serializers.FloatField(),
                "score": serializers.FloatField(),
                "reasons": serializers.ListField(child=serializers.CharField()),
                "summary": serializers.CharField(),
            },
            many=True,
        )
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[IsCoordinator],
        pagination_class=None,
        filter_backends=[],
    )
    def candidates(self, request, id=None):
        """The 20 best volunteers for this person, with a score and readable reasons."""
        from matching.selectors import rank_candidates

        person = selectors.access_person(request.user, id)
        return Response(
            [
                {
                    "volunteer": c.user_public_id,
                    "name": c.name,
                    "distance_km": round(c.distance_km, 2),
                    "score": c.score,
                    "reasons": c.reasons,
                    "summary": c.reason_text,
                }
                for c in rank_candidates(person)
            ]
        )


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who read or changed which person's full record, and when (staff)."""

    serializer_class = AccessLogSerializer
    permission_classes = [IsCoordinator]
    filter_backends = standard_backends()
    filterset_fields = ("channel", "action", "person_public_id", "user_email")
    ordering_fields = ("at",)

    def get_queryset(self):
        return selectors.audit_log()
