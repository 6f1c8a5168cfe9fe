from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.index, name="index"),
    path("meetings/<int:pk>/", views.detail, name="detail"),
    path("meetings/<int:pk>/edit/", views.edit, name="edit"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("meetings/<int:pk>/agenda/<int:item>/remove/", views.agenda_remove, name="agenda-remove"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision-add"),
    path(
        "meetings/<int:pk>/decisions/<int:decision>/remove/",
        views.decision_remove,
        name="decision-remove",
    ),
    path("meetings/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("meetings/<int:pk>/photos/<int:photo>/remove/", views.photo_remove, name="photo-remove"),
    path("meetings/<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("meetings/photos/<int:pk>/<slug:variant>/", views.photo, name="photo"),
]
