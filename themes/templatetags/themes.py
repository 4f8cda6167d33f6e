"""Template tags of the `themes` library: `{% load themes %}`.

{% term "volunteer" %}              the brand's word, singular
{% term "volunteer" plural %}       plural
{% term "coordinator" feminine %}   feminine form when the brand has one
{% term "volunteer" plural capfirst %}   capitalised
{% term "volunteer" as word %}      stored in a variable
{% gender "person" %}               "m" or "f" (French agreement)
{% flag "messaging" as on %}        is a feature flag on?
{% brand_theme brand as theme %}    the theme of a given brand (e-mails)
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.text import capfirst

from themes import flags as _flags
from themes import wording

register = template.Library()


class TermNode(template.Node):
    def __init__(self, key, options, target):
        self.key, self.options, self.target = key, options, target

    def render(self, context):
        key = self.key.resolve(context)
        value = wording.term(
            key, plural="plural" in self.options, feminine="feminine" in self.options
        )
        if "capfirst" in self.options:
            value = capfirst(value)
        if self.target:
            context[self.target] = value
            return ""
        return conditional_escape(value)


@register.tag(name="term")
def do_term(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            'usage: {% term "volunteer" [plural] [feminine] [capfirst] [as var] %}'
        )
    target = None
    if len(bits) >= 4 and bits[-2] == "as":
        target = bits[-1]
        bits = bits[:-2]
    options = set(bits[2:])
    unknown = options - {"plural", "feminine", "capfirst"}
    if unknown:
        raise template.TemplateSyntaxError(f"term: unknown options {sorted(unknown)}")
    return TermNode(parser.compile_filter(bits[1]), options, target)


@register.simple_tag
def gender(key):
    return wording.gender(key)


@register.simple_tag
def flag(name):
    return _flags.flag_enabled(name)


@register.simple_tag
def brand_theme(brand=None):
    from themes.selectors import get_theme

    return get_theme(brand)


@register.simple_tag
def brand_url(brand, path="/"):
    """Absolute URL on a brand's host (for e-mails)."""
    return brand.url(path)
