"""Brand themes: tokens, validation, theme.css / manifest / icons, wording and feature flags."""


def settings_for(tenant=None):
    """The brand's settings (timezone, default_locale, proposal_expiry_days, ...);
    see themes.selectors.BrandSettings."""
    from themes.selectors import settings_for as _settings_for

    return _settings_for(tenant)
