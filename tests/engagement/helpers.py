def set_flag(brand, name, value):
    """Turn a brand's feature flag on or off through the themes service."""
    from themes.services import set_theme

    set_theme(association=brand, tokens={"flags": {name: value}})
