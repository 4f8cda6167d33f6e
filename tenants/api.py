"""Operator REST API (public schema). Thin: parse, call one service, render."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import services
from tenants.models import Association
from tenants.permissions import IsOperator
from tenants.serializers import (
    BrandSerializer,
    DomainSerializer,
    ProvisionResultSerializer,
    ProvisionSerializer,
)


def as_drf_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "message_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"non_field_errors": exc.messages})


class OperatorAPIView(APIView):
    # Basic first, so that an anonymous call gets 401 with a WWW-Authenticate challenge.
    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [IsOperator]


def _brand(slug: str) -> Association:
    return get_object_or_404(Association.objects.brands().prefetch_related("domains"), slug=slug)


class BrandListCreateView(OperatorAPIView):
    @extend_schema(responses=BrandSerializer(many=True))
    def get(self, request):
        brands = Association.objects.brands().prefetch_related("domains").order_by("slug")
        return Response(BrandSerializer(brands, many=True).data)

    @extend_schema(request=ProvisionSerializer, responses={201: ProvisionResultSerializer})
    def post(self, request):
        serializer = ProvisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            result = services.provision_brand(acting_user=request.user, **data)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(ProvisionResultSerializer(result).data, status=status.HTTP_201_CREATED)


class BrandDetailView(OperatorAPIView):
    @extend_schema(responses=BrandSerializer)
    def get(self, request, slug: str):
        return Response(BrandSerializer(_brand(slug)).data)


class BrandSuspendView(OperatorAPIView):
    @extend_schema(request=None, responses=BrandSerializer)
    def post(self, request, slug: str):
        brand = services.suspend_brand(association=_brand(slug), acting_user=request.user)
        return Response(BrandSerializer(_brand(brand.slug)).data)


class BrandReactivateView(OperatorAPIView):
    @extend_schema(request=None, responses=BrandSerializer)
    def post(self, request, slug: str):
        brand = services.reactivate_brand(association=_brand(slug), acting_user=request.user)
        return Response(BrandSerializer(_brand(brand.slug)).data)


class BrandDomainView(OperatorAPIView):
    @extend_schema(request=DomainSerializer, responses={201: BrandSerializer})
    def post(self, request, slug: str):
        brand = _brand(slug)
        serializer = DomainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.add_domain(
                association=brand,
                domain=serializer.validated_data["domain"],
                acting_user=request.user,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(BrandSerializer(_brand(slug)).data, status=status.HTTP_201_CREATED)
