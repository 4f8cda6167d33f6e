from rest_framework import serializers

from tenants.models import Association


class BrandSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    domains = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Association
        fields = ["id", "slug", "name", "status", "domains", "url", "created_at", "updated_at"]

    def get_domains(self, obj) -> list[str]:
        return sorted(d.domain for d in obj.domains.all())

    def get_url(self, obj) -> str:
        return obj.url("/")


class ProvisionSerializer(serializers.Serializer):
    slug = serializers.CharField(max_length=63)
    name = serializers.CharField(max_length=120)
    admin_email = serializers.CharField(max_length=254)
    admin_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    domains = serializers.ListField(
        child=serializers.CharField(max_length=253), required=False, default=list
    )
    theme = serializers.JSONField(required=False)


class ProvisionResultSerializer(serializers.Serializer):
    brand = BrandSerializer(source="association")
    method = serializers.CharField()
    duration_s = serializers.FloatField()
    invitation_url = serializers.CharField()


class DomainSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=253)
