"""Demo brands for `make run`. Idempotent: running it again changes nothing and duplicates nothing.

Other apps add their own demo data by appending a callable `seeder(*, brand, spec, stdout)` to
DEMO_SEEDERS (in their AppConfig.ready()); each runs inside the brand's schema.
"""

from __future__ import annotations

from django_tenants.utils import tenant_context

DEMO_PASSWORD = "entraide-demo-2026"
DEMO_OPERATOR_EMAIL = "operator@entraide.demo"

DEMO_BRANDS = [
    {
        "slug": "voisinage",
        "name": "Voisinage",
        "admin_email": "admin@voisinage.demo",
        "coordinator": ("animatrice@voisinage.demo", "Claire Animatrice"),
        "volunteers": [
            ("lea@voisinage.demo", "Léa Martin"),
            ("karim@voisinage.demo", "Karim Benali"),
            ("sophie@voisinage.demo", "Sophie Durand"),
        ],
        # Brand tokens (themes/): name, logo, colours, wording and feature flags.
        "theme": {
            "display_name": "Voisinage",
            "short_name": "Voisinage",
            "colors": {
                "primary": "#a8322d",
                "on_primary": "#ffffff",
                "accent": "#7a4a00",
                "background": "#fffaf5",
                "surface": "#f8ece3",
                "text": "#2b1a14",
                "muted": "#5e4a40",
            },
            "font_stack": '"Trebuchet MS", "Segoe UI", system-ui, sans-serif',
            "radius": 16,
            "contact": {
                "email": "contact@voisinage.demo",
                "phone": "+33 1 23 45 67 89",
                "sender_name": "L'équipe Voisinage",
            },
            "legal": {
                "privacy_notice": "Voisinage ne partage jamais vos données.",
                "volunteer_charter": "Le voisineur rend visite avec bienveillance, régularité et discrétion.",
            },
            "wording": {
                "volunteer": {
                    "singular": "voisineur",
                    "plural": "voisineurs",
                    "gender": "m",
                    "singular_feminine": "voisineuse",
                    "plural_feminine": "voisineuses",
                    "en": {"singular": "neighbour", "plural": "neighbours"},
                },
                "person": {
                    "singular": "voisiné(e)",
                    "plural": "voisiné(e)s",
                    "gender": "m",
                    "en": {"singular": "neighbour visited", "plural": "neighbours visited"},
                },
                "coordinator": {
                    "singular": "animateur",
                    "plural": "animateurs",
                    "gender": "m",
                    "singular_feminine": "animatrice",
                    "plural_feminine": "animatrices",
                    "en": {"singular": "facilitator", "plural": "facilitators"},
                },
            },
            "flags": {"outings": True, "public_directory": True, "sms": False},
            "logo": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#a8322d"/><path d="M12 34 32 16l20 18v16H12z" fill="#fffaf5"/><path d="M32 46c-6-4-10-7-10-11a5 5 0 0 1 10-2 5 5 0 0 1 10 2c0 4-4 7-10 11z" fill="#a8322d"/></svg>',
        },
    },
    {
        "slug": "solidarite",
        "name": "Solidarité Seniors",
        "admin_email": "admin@solidarite.demo",
        "coordinator": ("coordination@solidarite.demo", "Marc Coordinateur"),
        "volunteers": [
            ("julie@solidarite.demo", "Julie Petit"),
            ("thomas@solidarite.demo", "Thomas Leroy"),
            ("amina@solidarite.demo", "Amina Diallo"),
        ],
        # Brand tokens (themes/): name, logo, colours, wording and feature flags.
        "theme": {
            "display_name": "Solidarité Seniors",
            "short_name": "Solidarité",
            "colors": {
                "primary": "#0b5d6b",
                "on_primary": "#ffffff",
                "accent": "#6b3fa0",
                "background": "#ffffff",
                "surface": "#eef5f6",
                "text": "#122326",
                "muted": "#43585c",
            },
            "radius": 4,
            "contact": {
                "email": "bonjour@solidarite.demo",
                "phone": "",
                "sender_name": "Solidarité Seniors",
            },
            "wording": {
                "person": {
                    "singular": "aîné(e)",
                    "plural": "aîné(e)s",
                    "gender": "m",
                    "en": {"singular": "senior", "plural": "seniors"},
                },
                "coordinator": {
                    "singular": "référent",
                    "plural": "référents",
                    "gender": "m",
                    "singular_feminine": "référente",
                    "plural_feminine": "référentes",
                    "en": {"singular": "coordinator", "plural": "coordinators"},
                },
            },
            "flags": {"outings": False, "sms": True, "self_signup": False},
            "logo": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="4" fill="#0b5d6b"/><circle cx="25" cy="32" r="13" fill="none" stroke="#ffffff" stroke-width="5"/><circle cx="39" cy="32" r="13" fill="none" stroke="#eef5f6" stroke-width="5"/></svg>',
        },
    },
]

DEMO_SEEDERS: list = []


def _ensure_user(email, full_name, role):
    from accounts.models import User

    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "role": role, "is_staff": role != "volunteer"},
    )
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed(stdout) -> list[dict]:
    from tenants.models import Association
    from tenants.services import provision_brand

    logins = []
    for spec in DEMO_BRANDS:
        brand = Association.objects.filter(slug=spec["slug"]).first()
        if brand is None:
            result = provision_brand(
                slug=spec["slug"],
                name=spec["name"],
                admin_email=spec["admin_email"],
                admin_name="Admin",
                send_invitation=False,
                **spec.get("options", {}),
            )
            brand = result.association
            stdout.write(
                f"provisioned demo brand {brand.slug} ({result.method}, {result.duration_s:.2f}s)"
            )
        else:
            stdout.write(f"demo brand {brand.slug} already exists")
        with tenant_context(brand):
            _ensure_user(spec["admin_email"], "Admin", "brand_admin")
            _ensure_user(*spec["coordinator"], "coordinator")
            for email, name in spec["volunteers"]:
                _ensure_user(email, name, "volunteer")
            for seeder in DEMO_SEEDERS:
                seeder(brand=brand, spec=spec, stdout=stdout)
        logins.append(
            {
                "brand": brand,
                "admin": spec["admin_email"],
                "coordinator": spec["coordinator"][0],
                "volunteer": spec["volunteers"][0][0],
            }
        )
    return logins


def ensure_demo_operator() -> str:
    """The demo operator of the bare base domain (created once; its password is left alone after)."""
    from accounts.models import User
    from django_tenants.utils import schema_context

    from tenants.operators import create_operator

    with schema_context("public"):
        if not User.objects.filter(email=DEMO_OPERATOR_EMAIL).exists():
            create_operator(
                email=DEMO_OPERATOR_EMAIL,
                password=DEMO_PASSWORD,
                full_name="Opératrice démo",
                check_password=False,
            )
    return DEMO_OPERATOR_EMAIL
