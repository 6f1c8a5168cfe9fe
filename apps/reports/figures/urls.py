"""Included at /figures/ (gridmap/urls.py)."""

from django.urls import path, re_path

from . import views

app_name = "figures"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("open-by-grid.json", views.open_by_grid, name="open-by-grid"),
    re_path(r"^(?P<table>month|grid|category|worker)\.csv$", views.export_csv, name="export"),
]
