from django.urls import path

from . import public_views, views

app_name = "works"
urlpatterns = [
    path("works/", views.planner, name="planner"),
    path("works/export.csv", views.export_csv, name="export-csv"),
    path("works/export.geojson", views.export_geojson, name="export-geojson"),
    path("works/<int:pk>/", views.detail, name="detail"),
    path("works/<int:pk>/transition/", views.transition, name="transition"),
    path("works/<int:pk>/progress/", views.progress, name="progress"),
    path("works/<int:pk>/reports/", views.link_report, name="link-report"),
    path("works/<int:pk>/feedback/", views.resend_feedback, name="resend-feedback"),
    path("facilities/", public_views.facility_map, name="facilities"),
    path("facilities/coming.geojson", public_views.coming, name="coming"),
    path("facilities/nearest.json", public_views.nearest, name="nearest"),
]
