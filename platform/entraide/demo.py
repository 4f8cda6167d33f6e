"""Demo brands for `make run`. Idempotent: running it again changes nothing and duplicates nothing.

Other apps add their own demo data by appending a callable `seeder(*, brand, spec, stdout)` to
DEMO_SEEDERS (in their AppConfig.ready()); each runs inside the brand's schema.
"""

from __future__ import annotations

from django_tenants.utils import tenant_context

DEMO_PASSWORD = "entraide-demo-2026"

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
    },
]

DEMO_SEEDERS: list = []


def _ensure_user(email, full_name, role):
    from accounts.models import User

    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "role": role, "is_staff": role != "volunteer"}
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
                slug=spec["slug"], name=spec["name"], admin_email=spec["admin_email"],
                admin_name="Admin", send_invitation=False, **spec.get("options", {}),
            )
            brand = result.association
            stdout.write(f"provisioned demo brand {brand.slug} ({result.method}, {result.duration_s:.2f}s)")
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
