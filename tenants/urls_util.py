from django.conf import settings


def host_url(host: str, path: str = "/") -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{host}{port}{path}"


def brand_host(association) -> str:
    # Iterate `domains.all()` rather than filtering, so that a prefetched list costs no query.
    for domain in association.domains.all():
        if domain.is_primary:
            return domain.domain
    return f"{association.slug}.{settings.BASE_DOMAIN}"


def brand_url(association, path: str = "/") -> str:
    """Absolute URL of a path on a brand's primary host (used in e-mails and CLI output)."""
    return host_url(brand_host(association), path)
