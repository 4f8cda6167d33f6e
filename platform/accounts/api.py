"""Brand API for accounts: the current user, invitations, self-signup, members, API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from entraide.api_filters import standard_backends
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import ApiToken, User
from accounts.permissions import IsBrandAdmin, IsCoordinator

# The roles a member of a brand can have (operators live in the public schema only).
BRAND_ROLES = [
    (r.value, r.label) for r in (User.Role.VOLUNTEER, User.Role.COORDINATOR, User.Role.BRAND_ADMIN)
]


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    role = serializers.ChoiceField(choices=BRAND_ROLES, read_only=True)

    class Meta:
        model = User
        fields = (
            "id",
            "email",
            "full_name",
            "role",
            "is_active",
            "preferred_language",
            "date_joined",
        )
        read_only_fields = ("email", "is_active", "date_joined", "role")


class MeSerializer(MemberSerializer):
    class Meta(MemberSerializer.Meta):
        read_only_fields = ("email", "is_active", "date_joined", "role")


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=BRAND_ROLES, default=User.Role.VOLUNTEER)


class InvitationResultSerializer(serializers.Serializer):
    member = MemberSerializer()
    url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class SignupSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=BRAND_ROLES)


class TokenSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "last_used_at", "expires_at")
        read_only_fields = ("prefix", "created_at", "last_used_at")


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once: store it now.")

    class Meta(TokenSerializer.Meta):
        fields = (*TokenSerializer.Meta.fields, "key")


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = request.user
        fields = []
        for field in ("full_name", "preferred_language"):
            if field in serializer.validated_data:
                setattr(user, field, serializer.validated_data[field])
                fields.append(field)
        if "preferred_language" in fields and user.preferred_language not in ("", "fr", "en"):
            raise ValidationError({"preferred_language": [_("Choose French or English.")]})
        if fields:
            user.save(update_fields=fields)
        return Response(MeSerializer(user).data)


class InvitationView(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(request=InvitationInputSerializer, responses={201: InvitationResultSerializer})
    def post(self, request):
        serializer = InvitationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, invitation, url = services.invite_member(
            acting_user=request.user, **serializer.validated_data
        )
        return Response(
            InvitationResultSerializer(
                {"member": user, "url": url, "expires_at": invitation.expires_at}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class SignupView(APIView):
    """Self-signup as a volunteer: only where the brand's `self_signup` flag is on (404 otherwise)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=SignupSerializer, responses={201: MemberSerializer}, auth=[])
    def post(self, request):
        from themes.flags import flag_enabled

        if not flag_enabled("self_signup", request.tenant):
            raise NotFound()
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.self_signup(tenant=request.tenant, **serializer.validated_data)
        return Response(MemberSerializer(user).data, status=status.HTTP_201_CREATED)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The brand's members (staff only). Brand admins change roles."""

    serializer_class = MemberSerializer
    permission_classes = [IsCoordinator]
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"
    filter_backends = standard_backends()
    filterset_fields = ("role", "is_active")
    search_fields = ("email", "full_name")
    ordering_fields = ("full_name", "email", "date_joined")

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.order_by("full_name", "email", "id")

    @extend_schema(request=RoleSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def role(self, request, id=None):
        member = self.get_object()  # 404 first: another brand's member does not exist here
        if not IsBrandAdmin().has_permission(request, self):
            self.permission_denied(request)
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_role(
            acting_user=request.user, user=member, role=serializer.validated_data["role"]
        )
        return Response(MemberSerializer(member).data)


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal API tokens."""

    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.create_api_token(
            user=request.user,
            name=serializer.validated_data.get("name", ""),
            expires_at=serializer.validated_data.get("expires_at"),
        )
        token.key = key
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.revoke_api_token(token=instance)
