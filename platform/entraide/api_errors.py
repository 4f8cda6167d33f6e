"""One error format for the whole brand API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` is present only for validation errors (nested serializers give dotted keys:
"consent.purpose"). Services raise Django's ValidationError (domain code never imports DRF); it
is translated here so the API answers 400 with the same shape.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEY = "non_field_errors"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = NON_FIELD_KEY if key in ("__all__", NON_FIELD_KEY) and not prefix else str(key)
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
    elif (
        isinstance(detail, list)
        and detail
        and all(isinstance(item, (dict, list)) for item in detail)
    ):
        for index, value in enumerate(detail):
            out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        items = detail if isinstance(detail, list) else [detail]
        out.setdefault(prefix or NON_FIELD_KEY, []).extend(str(item) for item in items)
    return out


def _from_django_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        )
    return exceptions.ValidationError({NON_FIELD_KEY: [str(m) for m in exc.messages]})


def exception_handler(exc, context):
    from django.db import connection
    from django_tenants.utils import get_public_schema_name

    if connection.schema_name == get_public_schema_name():
        # The operator API (public host) keeps DRF's own error shape, which its clients use.
        return drf_exception_handler(exc, context)
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 handling (and logging) applies.

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        body = {
            "status": response.status_code,
            "code": "invalid",
            "message": _("Some fields are not valid."),
            "fields": fields,
        }
    else:
        detail = getattr(exc, "detail", None)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        body = {
            "status": response.status_code,
            "code": codes if isinstance(codes, str) else "error",
            "message": str(detail) if detail is not None else str(exc),
        }
    return Response({"error": body}, status=response.status_code, headers=_headers(response))


def _headers(response) -> dict:
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}


def error_response(
    *, status_code: int = status.HTTP_400_BAD_REQUEST, message: str, code: str = "error"
):
    return Response(
        {"error": {"status": status_code, "code": code, "message": message}}, status=status_code
    )
