"""PWA icons generated with Pillow from the brand's logo (or from its initials when it has none;
an SVG logo is rasterised first with resvg),
stored per brand in tenant storage (MEDIA_ROOT/<schema>/themes/icons/<version>/) and generated
on first request, so that every theme version has its own immutable set."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import get_public_schema_name, schema_context
from PIL import Image, ImageDraw, ImageFont

# name -> (size in px, kind)
ICONS = {
    "icon-192": (192, "any"),
    "icon-512": (512, "any"),
    "maskable-512": (512, "maskable"),
    "apple-touch": (180, "apple"),
    "favicon": (32, "favicon"),
    "logo": (512, "logo"),
}
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[1][0]).upper()


def _font(size: int):
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def _initials_image(theme, size: int, *, scale: float) -> Image.Image:
    """The default logo: the brand's initials in its on-primary colour on its primary colour."""
    image = Image.new("RGBA", (size, size), _rgb(theme.colors["primary"]) + (255,))
    draw = ImageDraw.Draw(image)
    text = initials(theme.display_name)
    font = _font(max(8, int(size * scale / (1.0 if len(text) == 1 else 1.6))))
    draw.text(
        (size / 2, size / 2), text, fill=_rgb(theme.colors["on_primary"]), font=font, anchor="mm"
    )
    return image


SVG_RENDER_BOX = 1024  # px: the largest icon is 512, so this leaves room to downscale cleanly


def _svg_image(data: bytes) -> Image.Image | None:
    """Rasterise a stored SVG logo (already rebuilt from an allow-list when it was uploaded, so no
    script and no external reference) to fit a SVG_RENDER_BOX square, keeping its proportions.
    None if resvg cannot render it: the initials are used instead."""
    import resvg_py

    try:
        png = resvg_py.svg_to_bytes(
            svg_string=data.decode("utf-8"), width=SVG_RENDER_BOX, height=SVG_RENDER_BOX
        )
    except (ValueError, UnicodeDecodeError):
        return None
    image = Image.open(io.BytesIO(bytes(png)))
    image.load()
    return image.convert("RGBA")


def _logo_image(theme) -> Image.Image | None:
    if not theme.logo:
        return None
    with schema_context(theme.schema_name):
        if not default_storage.exists(theme.logo):
            return None
        with default_storage.open(theme.logo, "rb") as handle:
            data = handle.read()
    if theme.logo.endswith(".svg"):
        return _svg_image(data)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGBA")


def _on_background(theme, logo: Image.Image, size: int, *, content: float) -> Image.Image:
    """The logo scaled into `content` of a square canvas filled with the brand's background."""
    canvas = Image.new("RGBA", (size, size), _rgb(theme.colors["background"]) + (255,))
    box = int(size * content)
    fitted = logo.copy()
    fitted.thumbnail((box, box), Image.Resampling.LANCZOS)
    canvas.alpha_composite(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2))
    return canvas


def render_icon(theme, name: str) -> bytes:
    size, kind = ICONS[name]
    if kind == "favicon" and theme.favicon:
        with schema_context(theme.schema_name):
            with default_storage.open(theme.favicon, "rb") as handle:
                source = Image.open(io.BytesIO(handle.read()))
                source.load()
        image = source.convert("RGBA")
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        canvas.alpha_composite(image, ((size - image.width) // 2, (size - image.height) // 2))
        image = canvas
    else:
        logo = _logo_image(theme)
        if logo is None:
            # Maskable icons keep their content inside the central 80 % safe zone.
            image = _initials_image(theme, size, scale=0.32 if kind == "maskable" else 0.42)
        else:
            content = {"any": 0.9, "maskable": 0.62, "apple": 0.8, "favicon": 1.0, "logo": 1.0}[
                kind
            ]
            image = _on_background(theme, logo, size, content=content)
    if kind in ("apple", "maskable"):
        # iOS and maskable icons must be opaque.
        flat = Image.new("RGB", image.size, _rgb(theme.colors["background"]))
        flat.paste(image, mask=image.split()[3])
        image = flat
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def storage_name(theme, name: str) -> str:
    return f"themes/icons/{theme.version}/{name}.png"


def get_icon(theme, name: str) -> bytes:
    """The stored icon of this theme version, generated and stored on first use."""
    path = storage_name(theme, name)
    with schema_context(theme.schema_name):
        if default_storage.exists(path):
            with default_storage.open(path, "rb") as handle:
                return handle.read()
        data = render_icon(theme, name)
        if theme.schema_name != get_public_schema_name():
            try:
                default_storage.save(path, ContentFile(data))
            except (
                OSError
            ):  # a concurrent request stored it first, or read-only media: serve anyway
                pass
        return data
