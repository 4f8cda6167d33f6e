"""Operators: users of the public schema with the operator role (they sign in on the bare base
domain and use the console and the operator API)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context


def create_operator(*, email: str, password: str, full_name: str = "", check_password: bool = True):
    """Create the operator, or update an existing one's password and role (idempotent).
    Returns (user, created)."""
    from accounts.models import User

    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if not password:
        errors["password"] = [_("A password is required.")]
    elif check_password:
        try:
            validate_password(password, User(email=email, full_name=full_name))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    with schema_context("public"), transaction.atomic():
        assert connection.schema_name == get_public_schema_name()
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                role=User.Role.OPERATOR,
                is_staff=True,
            )
        else:
            user.role, user.is_staff, user.is_active = User.Role.OPERATOR, True, True
            if full_name:
                user.full_name = full_name
            user.set_password(password)
            user.save(update_fields=["role", "is_staff", "is_active", "full_name", "password"])
    return user, created
