"""The visit log's REST API (thin: parse, call one service or selector, render)."""

from __future__ import annotations

import django_filters
from accounts.permissions import IsCoordinator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from themes.flags import FeatureEnabled
from visits import selectors, services
from visits.models import Visit


class VisitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    person_name = serializers.CharField(source="person.short_name", read_only=True)
    volunteer = serializers.UUIDField(source="volunteer.public_id", read_only=True, allow_null=True)
    volunteer_name = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "person",
            "person_name",
            "volunteer",
            "volunteer_name",
            "kind",
            "occurred_on",
            "duration_minutes",
            "mood",
            "note",
            "created_at",
        ]
        read_only_fields = fields

    def get_volunteer_name(self, visit) -> str:
        return visit.volunteer.get_full_name() if visit.volunteer else ""


class VisitCreateSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Visit.Kind.choices, default=Visit.Kind.VISIT)
    occurred_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    mood = serializers.ChoiceField(choices=Visit.Mood.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class VisitFilter(django_filters.FilterSet):
    person = django_filters.UUIDFilter(field_name="person__public_id")
    volunteer = django_filters.UUIDFilter(field_name="volunteer__public_id")
    kind = django_filters.ChoiceFilter(choices=Visit.Kind.choices)
    mood = django_filters.ChoiceFilter(choices=Visit.Mood.choices)
    occurred_after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = Visit
        fields = ["person", "volunteer", "kind", "mood", "occurred_after", "occurred_before"]


VISIT_LOG = FeatureEnabled("visit_log")


class VisitListCreate(generics.ListCreateAPIView):
    """Visits of the people you follow (coordinators: every visit); log a new one."""

    permission_classes = [VISIT_LOG, IsAuthenticated]
    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Visit.objects.none()
        return selectors.visits_for(self.request.user)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def post(self, request, *args, **kwargs):
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = selectors.person_for_visit_log(request.user, values.pop("person"))
        visit = services.log_visit(acting_user=request.user, person=person, **values)
        visit = selectors.access_visit(request.user, visit.public_id)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class VisitDetail(generics.RetrieveAPIView):
    permission_classes = [VISIT_LOG, IsAuthenticated]
    serializer_class = VisitSerializer

    def get_object(self):
        return selectors.access_visit(self.request.user, self.kwargs["public_id"])


class PersonWithoutContactSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="short_name", read_only=True)
    district = serializers.CharField(read_only=True)
    last_contact_at = serializers.DateTimeField(read_only=True, allow_null=True)
    coordinator = serializers.UUIDField(
        source="coordinator.public_id", read_only=True, allow_null=True
    )


class PeopleWithoutContact(generics.ListAPIView):
    """Coordinators: active people nobody has contacted for the brand's `no_contact_alert_days`
    (or `?days=N`), the longest silence first."""

    permission_classes = [VISIT_LOG, IsCoordinator]
    serializer_class = PersonWithoutContactSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "days", int, description="Days without contact (default: the brand's setting)."
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from themes import settings_for

        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            from people.models import Person

            return Person.objects.none()

        try:
            days = int(self.request.query_params.get("days", ""))
        except ValueError:
            days = int(settings_for().no_contact_alert_days)
        days = min(max(days, 1), 3650)
        return selectors.people_without_contact(days=days, today=services.brand_today())
