"""Included by apps.maps.urls, so the names live in the "maps" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/layers/", views.layer_list, name="layer-list"),
    path("api/layers/<slug:name>.geojson", views.layer_geojson, name="layer-geojson"),
]
