"""The signed-in person's own data (under /account/)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("delete/", views.account_delete, name="delete"),
    path("deleted/", views.account_deleted, name="deleted"),
]
