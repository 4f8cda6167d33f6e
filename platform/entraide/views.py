from django.shortcuts import render

from tenants import console


def public_home(request):
    """The bare base domain: the operator console's entry point (the brand list for operators)."""
    if request.user.is_authenticated and getattr(request.user, "is_operator", False):
        return render(
            request, "tenants/console/brands.html", {"rows": console.brands_with_health()}
        )
    return render(request, "entraide/public_home.html", {"brands": None})
