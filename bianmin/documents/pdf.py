"""PDF rendering (WeasyPrint from Django templates, Debian fonts-noto-cjk) and QR codes as inline SVG.

Any app may use these: `render_pdf("app/pdf/x.html", context)` → bytes, `qr_svg(url)` → an <svg> string
to put in a template with |safe.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string


def qr_svg(text: str, *, box_size: int = 10, border: int = 2) -> str:
    """The QR code of `text` as an inline SVG element (no XML declaration)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=border)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=settings.PUBLIC_BASE_URL).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))
