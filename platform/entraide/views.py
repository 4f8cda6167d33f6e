from django.shortcuts import render

from tenants.models import Association


def public_home(request):
    """The bare base domain: the operator console's entry point."""
    brands = None
    if request.user.is_authenticated and getattr(request.user, "is_operator", False):
        brands = Association.objects.brands().prefetch_related("domains").order_by("slug")
    return render(request, "entraide/public_home.html", {"brands": brands})
