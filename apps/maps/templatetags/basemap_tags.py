"""`{% basemap_js %}`: the script a configured vector basemap needs, and nothing otherwise."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from ..basemap_file import configured_source

register = template.Library()


@register.simple_tag
def basemap_js() -> str:
    if configured_source() is None:
        return ""
    return format_html(
        '<script src="{}"></script>', static("vendor/protomaps-leaflet/protomaps-leaflet.js")
    )
