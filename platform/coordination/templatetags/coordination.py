from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# THEMES' theme editor (wording, flags, live preview) lives in the themes app; the members page
# links to it under whichever of these names it is installed.
THEME_EDITOR_URL_NAMES = ("themes:settings", "themes:editor")


@register.simple_tag
def theme_editor_url():
    for name in THEME_EDITOR_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""
