"""Vector tiles under /tiles/ (included with the "tiles" namespace)."""

from django.urls import re_path

from . import tiles

app_name = "tiles"
urlpatterns = [
    re_path(r"^(?P<collection>[^/]+)\.json$", tiles.tilejson, name="tilejson"),
    re_path(
        r"^(?P<collection>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.pbf$",
        tiles.tile,
        name="tile",
    ),
]
