from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("ledger/", views.index, name="index"),
    path("ledger/community/<str:code>/", views.community_ledger, name="community"),
    path("ledger/<int:compound_id>/", views.compound_ledger, name="compound"),
    path("ledger/desk/", views.desk, name="desk"),
    path("ledger/desk/new/", views.entry_create, name="create"),
    path("ledger/desk/<int:pk>/", views.entry_detail, name="entry"),
    path("ledger/desk/<int:pk>/transition/", views.entry_transition, name="transition"),
]
