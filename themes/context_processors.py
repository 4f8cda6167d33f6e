from django.db import connection


def theme(request):
    """The current brand's theme (the neutral default on the public site) for every template."""
    from themes.selectors import get_theme

    return {
        "theme": get_theme(getattr(request, "tenant", None) or getattr(connection, "tenant", None))
    }
