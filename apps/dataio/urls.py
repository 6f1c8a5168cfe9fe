"""Exports of the features in view: /export/<layer>?bbox=...&format=gpkg|geojson|csv|kml|shp."""

from django.urls import path

from . import views

app_name = "dataio"
urlpatterns = [
    path("export/<str:layer>", views.export_view, name="export"),
]
