from django.urls import path

from . import views
from .api import urls as api_urls
from .basemap_file import SERVED_URL, basemap_file

app_name = "maps"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path(SERVED_URL.lstrip("/"), basemap_file, name="basemap-file"),
    *api_urls.urlpatterns,
]
