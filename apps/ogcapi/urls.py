"""OGC API – Features under /ogcapi/ (included with the "ogcapi" namespace).

A trailing slash is accepted too: clients differ in how they join paths.
"""

from django.urls import path, re_path

from . import views

app_name = "ogcapi"
NAME = r"(?P<collection_id>[^/]+)"
urlpatterns = [
    path("", views.landing, name="landing"),
    re_path(r"^conformance/?$", views.conformance, name="conformance"),
    re_path(r"^api/?$", views.api_definition, name="openapi"),
    re_path(r"^collections/?$", views.collections, name="collections"),
    re_path(rf"^collections/{NAME}/?$", views.collection, name="collection"),
    re_path(rf"^collections/{NAME}/items/?$", views.items, name="items"),
    re_path(rf"^collections/{NAME}/items/(?P<feature_id>[^/]+)/?$", views.item, name="item"),
]
