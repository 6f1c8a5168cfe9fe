from django.urls import path

from . import views
from .api import urls as api_urls

app_name = "maps"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    *api_urls.urlpatterns,
]
