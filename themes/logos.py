"""Logo and favicon validation, and SVG sanitising.

Raster logos are checked by decoding them with Pillow (the declared type must be the real one);
SVG is parsed as XML and rebuilt from a strict allow-list of elements and attributes. Anything
that can run code or fetch something (script, foreignObject, style sheets, event handlers,
external references, entities) makes the whole file refused with a message saying why. We
hand-write the SVG allow-list because nh3/ammonia sanitise HTML: they parse SVG as HTML foreign
content and do not guarantee a well-formed standalone SVG document.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 1024 * 1024
LOGO_MIN_PX = 512
FAVICON_MIN_PX = 32
RASTER_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = {
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "use",
    "symbol",
}
SVG_ATTRIBUTES = {
    "id",
    "class",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "fill",
    "fill-opacity",
    "fill-rule",
    "clip-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "opacity",
    "transform",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "fx",
    "fy",
    "preserveAspectRatio",
    "version",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "clip-path",
    "mask",
    "href",
    "role",
    "aria-label",
    "aria-hidden",
    "focusable",
    "xml:space",
    "style",
    "maskUnits",
    "clipPathUnits",
    "patternUnits",
    "dx",
    "dy",
    "visibility",
    "display",
}
URL_FUNC_RE = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.I)
DANGEROUS_STYLE_RE = re.compile(
    r"(expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding)", re.I
)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    ext: str
    content_type: str
    width: int
    height: int


def validate_image(
    data: bytes, *, min_px: int = LOGO_MIN_PX, what: str | None = None
) -> CleanImage:
    what = what or _("The logo")
    if not data:
        raise ValidationError({"logo": [_("%(what)s is empty.") % {"what": what}]})
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {
                "logo": [
                    _("%(what)s is too large (%(size)d KB); 1 MB (1024 KB) at most.")
                    % {"what": what, "size": len(data) // 1024}
                ]
            }
        )
    head = data[:512].lstrip()
    if head.startswith(b"<") or head[:5].lower() == b"<?xml":
        clean = sanitize_svg(data, what=what)
        return CleanImage(data=clean, ext="svg", content_type="image/svg+xml", width=0, height=0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {
                "logo": [
                    _("%(what)s is not a readable image. Use PNG, JPEG, WebP or SVG.")
                    % {"what": what}
                ]
            }
        ) from exc
    if fmt not in RASTER_FORMATS:
        raise ValidationError(
            {
                "logo": [
                    _("%(what)s is a %(format)s image; use PNG, JPEG, WebP or SVG.")
                    % {"what": what, "format": fmt}
                ]
            }
        )
    if width < min_px or height < min_px:
        raise ValidationError(
            {
                "logo": [
                    _(
                        "%(what)s is %(w)d × %(h)d pixels; it must be at least %(min)d × %(min)d pixels so that app icons stay sharp."
                    )
                    % {"what": what, "w": width, "h": height, "min": min_px}
                ]
            }
        )
    ext, content_type = RASTER_FORMATS[fmt]
    return CleanImage(data=data, ext=ext, content_type=content_type, width=width, height=height)


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _sep, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _refuse(what: str, reason: str) -> ValidationError:
    return ValidationError(
        {"logo": [_("%(what)s (SVG) was refused: %(reason)s") % {"what": what, "reason": reason}]}
    )


def sanitize_svg(data: bytes, *, what: str | None = None) -> bytes:
    """Return a rebuilt, safe SVG, or raise ValidationError saying what was refused."""
    what = what or _("The logo")
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise _refuse(what, _("it declares a DOCTYPE or entities, which are not allowed."))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise _refuse(
            what, _("it is not a well-formed SVG file (%(error)s).") % {"error": exc}
        ) from exc
    ns, name = _local(root.tag)
    if name != "svg" or ns not in ("", SVG_NS):
        raise _refuse(what, _("the file is not an SVG image."))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        ns, name = _local(element.tag)
        if ns not in ("", SVG_NS) or name not in SVG_ELEMENTS:
            if name in (
                "script",
                "foreignObject",
                "style",
                "iframe",
                "image",
                "a",
                "animate",
                "set",
            ):
                raise _refuse(
                    what,
                    _("it contains a <%(tag)s> element, which could run code or load content.")
                    % {"tag": name},
                )
            raise _refuse(
                what, _("the <%(tag)s> element is not allowed in a logo.") % {"tag": name}
            )
        if not ns:
            element.tag = f"{{{SVG_NS}}}{name}"
        for attribute, value in element.attrib.items():
            ans, aname = _local(attribute)
            if aname.lower().startswith("on"):
                raise _refuse(
                    what,
                    _("the attribute “%(attr)s” is an event handler (it could run code).")
                    % {"attr": aname},
                )
            if ans == XLINK_NS and aname == "href":
                aname = "href"
            elif ans == "http://www.w3.org/XML/1998/namespace":
                aname = "xml:" + aname
            elif ans:
                raise _refuse(what, _("the attribute “%(attr)s” is not allowed.") % {"attr": aname})
            if aname not in SVG_ATTRIBUTES:
                raise _refuse(what, _("the attribute “%(attr)s” is not allowed.") % {"attr": aname})
            if aname == "href" and not value.strip().startswith("#"):
                raise _refuse(
                    what, _("it refers to an external resource (%(ref)s).") % {"ref": value[:80]}
                )
            for ref in URL_FUNC_RE.findall(value):
                if not ref.strip().startswith("#"):
                    raise _refuse(
                        what, _("it refers to an external resource (%(ref)s).") % {"ref": ref[:80]}
                    )
            if aname == "style" and DANGEROUS_STYLE_RE.search(value):
                raise _refuse(what, _("its style attribute holds code."))
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)
