"""Brand API for matching: proposals and circles."""

from __future__ import annotations

import django_filters
from accounts.models import User
from accounts.permissions import IsCoordinator, is_staff_member
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from entraide.api_filters import standard_backends
from people.models import Person
from people.selectors import reduce
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from matching import selectors, services
from matching.models import Circle, CircleMembership, Proposal


class PersonRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="get_full_name")


class ProposalSerializer(serializers.ModelSerializer):
    """`person.name` is the first name and last-name initial unless the match is confirmed."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.SerializerMethodField()
    volunteer = UserRefSerializer(read_only=True)
    proposed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Proposal
        fields = (
            "id",
            "person",
            "volunteer",
            "proposed_by",
            "status",
            "message",
            "score",
            "reasons",
            "response_reason",
            "responded_at",
            "decided_at",
            "expires_at",
            "created_at",
        )

    @extend_schema(
        responses={
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string"},
                "district": {"type": "string"},
                "approximate_distance_km": {"type": "number", "nullable": True},
            },
        }
    )
    def get_person(self, obj) -> dict:
        person = obj.person
        request = self.context.get("request")
        user = request.user if request else None
        full = user is not None and (
            is_staff_member(user) or obj.status == Proposal.Status.CONFIRMED
        )
        if full:
            return {
                "id": str(person.public_id),
                "name": person.full_name,
                "district": person.district,
                "approximate_distance_km": None,
            }
        # the proposal's volunteer is the requesting volunteer (proposal_list); its profile is
        # select_related, so the approximate distance costs no query per row
        reduced = reduce(person, volunteer=obj.volunteer)
        return {
            "id": str(person.public_id),
            "name": reduced.display_name,
            "district": reduced.district,
            "approximate_distance_km": reduced.approximate_distance_km,
        }


class ProposeSerializer(serializers.Serializer):
    person = serializers.SlugRelatedField(slug_field="public_id", queryset=Person.objects.all())
    volunteers = serializers.SlugRelatedField(
        slug_field="public_id", many=True, queryset=User.objects.filter(role=User.Role.VOLUNTEER)
    )
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate_volunteers(self, value):
        if not value:
            raise serializers.ValidationError(_("Choose at least one volunteer."))
        if len(value) > 20:
            raise serializers.ValidationError(_("At most 20 volunteers at once."))
        return value


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RemoveMemberSerializer(RequiredReasonSerializer):
    volunteer = serializers.UUIDField()


class MembershipSerializer(serializers.ModelSerializer):
    volunteer = UserRefSerializer(read_only=True)

    class Meta:
        model = CircleMembership
        fields = ("volunteer", "joined_at", "left_at", "left_reason")


class CircleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    places = serializers.SerializerMethodField()

    class Meta:
        model = Circle
        fields = (
            "id",
            "title",
            "person",
            "status",
            "closed_reason",
            "closed_at",
            "created_at",
            "members",
            "places",
        )

    def get_person(self, obj) -> dict:
        return {"id": str(obj.person.public_id), "name": obj.person.full_name}

    @staticmethod
    def _active(obj):
        active = getattr(obj, "active_members", None)
        return (
            active
            if active is not None
            else [m for m in obj.memberships.all() if m.left_at is None]
        )

    def get_members(self, obj) -> list[dict]:
        return MembershipSerializer(self._active(obj), many=True).data

    def get_places(self, obj) -> int:
        return max(0, obj.person.max_volunteers - len(self._active(obj)))


class ProposalFilter(django_filters.FilterSet):
    person = django_filters.UUIDFilter(field_name="person__public_id")
    volunteer = django_filters.UUIDFilter(field_name="volunteer__public_id")

    class Meta:
        model = Proposal
        fields = ("status",)


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: every proposal; volunteers: theirs. Staff create proposals (one per volunteer)."""

    serializer_class = ProposalSerializer
    permission_classes = [IsAuthenticated]
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"
    filter_backends = standard_backends()
    filterset_class = ProposalFilter
    ordering_fields = ("created_at", "expires_at", "score")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Proposal.objects.none()
        qs = selectors.proposal_list(self.request.user)
        if not is_staff_member(self.request.user):
            qs = qs.select_related("volunteer__volunteer_profile")
        return qs

    def get_object(self):
        return selectors.access_proposal(self.request.user, self.kwargs["id"])

    @extend_schema(request=ProposeSerializer, responses={201: ProposalSerializer(many=True)})
    def create(self, request):
        if not is_staff_member(request.user):
            raise PermissionDenied()
        serializer = ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposals = services.propose(acting_user=request.user, **serializer.validated_data)
        return Response(
            ProposalSerializer(proposals, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _answer(self, request, *, accept: bool):
        proposal = self.get_object()
        serializer = (ReasonSerializer if accept else RequiredReasonSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        if request.user.pk != proposal.volunteer_id:
            raise PermissionDenied()
        proposal = services.respond(
            proposal=proposal,
            acting_user=request.user,
            accept=accept,
            reason=serializer.validated_data["reason"],
        )
        proposal = selectors.access_proposal(request.user, proposal.public_id)
        return Response(ProposalSerializer(proposal, context={"request": request}).data)

    @extend_schema(request=ReasonSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, id=None):
        return self._answer(request, accept=True)

    @extend_schema(request=RequiredReasonSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, id=None):
        return self._answer(request, accept=False)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsCoordinator])
    def confirm(self, request, id=None):
        proposal = self.get_object()
        services.confirm(proposal=proposal, acting_user=request.user)
        proposal = selectors.access_proposal(request.user, proposal.public_id)
        return Response(ProposalSerializer(proposal, context={"request": request}).data)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsCoordinator])
    def withdraw(self, request, id=None):
        proposal = self.get_object()
        proposal = services.withdraw(proposal=proposal, acting_user=request.user)
        proposal = selectors.access_proposal(request.user, proposal.public_id)
        return Response(ProposalSerializer(proposal, context={"request": request}).data)


class CircleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: every circle; volunteers: the circles they belong to."""

    serializer_class = CircleSerializer
    permission_classes = [IsAuthenticated]
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"
    filter_backends = standard_backends()
    filterset_fields = ("status",)
    search_fields = ("title", "person__first_name", "person__last_name")
    ordering_fields = ("created_at", "title")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Circle.objects.none()
        active = CircleMembership.objects.filter(left_at__isnull=True).select_related("volunteer")
        return selectors.circle_list(self.request.user).prefetch_related(
            Prefetch("memberships", queryset=active, to_attr="active_members")
        )

    def get_object(self):
        circle = selectors.access_circle(self.request.user, self.kwargs["id"])
        return self.get_queryset().get(pk=circle.pk)

    @extend_schema(request=RequiredReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def leave(self, request, id=None):
        """The volunteer leaves the circle, with a reason."""
        circle = selectors.access_circle(request.user, id)
        serializer = RequiredReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = CircleMembership.objects.filter(
            circle=circle, volunteer=request.user, left_at__isnull=True
        ).first()
        if membership is None:
            raise PermissionDenied()
        services.leave_circle(
            membership=membership,
            acting_user=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=RemoveMemberSerializer, responses=CircleSerializer)
    @action(
        detail=True, methods=["post"], url_path="remove-member", permission_classes=[IsCoordinator]
    )
    def remove_member(self, request, id=None):
        circle = selectors.access_circle(request.user, id)
        serializer = RemoveMemberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = CircleMembership.objects.filter(
            circle=circle,
            volunteer__public_id=serializer.validated_data["volunteer"],
            left_at__isnull=True,
        ).first()
        if membership is None:
            raise serializers.ValidationError(
                {"volunteer": [_("This volunteer is not in the circle.")]}
            )
        services.leave_circle(
            membership=membership,
            acting_user=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(CircleSerializer(self.get_object()).data)

    @extend_schema(request=RequiredReasonSerializer, responses=CircleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsCoordinator])
    def close(self, request, id=None):
        circle = selectors.access_circle(request.user, id)
        serializer = RequiredReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.close_circle(
            circle=circle, acting_user=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(CircleSerializer(self.get_object()).data)
