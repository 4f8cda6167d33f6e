"""Brand themes live in the public schema (themes is a SHARED app): one row per brand.

Why public and not the brand's schema: the operator console, the CLI and provisioning set themes
without entering the brand's schema, and the theme of any brand can be read with one indexed query
whatever the current search_path. See docs/adr/0004-themes.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BrandTheme(models.Model):
    association = models.OneToOneField(
        "tenants.Association",
        on_delete=models.CASCADE,
        related_name="theme",
        verbose_name=_("brand"),
    )
    # The complete, validated tokens (themes.tokens.validate_tokens output).
    tokens = models.JSONField(_("tokens"), default=dict)
    # Storage names (tenant storage, under MEDIA_ROOT/<schema>/) of the uploaded logo and favicon;
    # "" when the brand has none (a logo is then generated from the brand's initials).
    logo = models.CharField(_("logo file"), max_length=255, blank=True, default="")
    logo_type = models.CharField(_("logo type"), max_length=32, blank=True, default="")
    favicon = models.CharField(_("favicon file"), max_length=255, blank=True, default="")
    # Content hash of tokens + logo: it names theme.css and the icons, and is the ETag.
    version = models.CharField(_("version"), max_length=32, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("brand theme")
        verbose_name_plural = _("brand themes")

    def __str__(self):
        return f"theme of {self.association_id} ({self.version})"
