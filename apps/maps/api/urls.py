"""Included by apps.maps.urls, so the names live in the "maps" namespace."""

from django.urls import path

from . import search_views, views

urlpatterns = [
    path("api/layers/", views.layer_list, name="layer-list"),
    path("api/layers/<slug:name>.geojson", views.layer_geojson, name="layer-geojson"),
    path("api/places/search/", search_views.search, name="place-search"),
    path("api/places/at/", search_views.place, name="place-at"),
]
