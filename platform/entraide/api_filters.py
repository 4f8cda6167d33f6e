"""The API's filter backend: django-filter, with the browsable API's filter form made optional
(django_filters is not in INSTALLED_APPS, so its form template may be missing)."""

from django.template import TemplateDoesNotExist
from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def to_html(self, request, queryset, view):
        try:
            return super().to_html(request, queryset, view)
        except TemplateDoesNotExist:
            return ""


def standard_backends():
    """Filtering (django-filter), ?search= and ?ordering= for list endpoints."""
    from rest_framework.filters import OrderingFilter, SearchFilter

    return [FilterBackend, SearchFilter, OrderingFilter]
