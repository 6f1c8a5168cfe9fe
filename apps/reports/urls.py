from django.urls import path

from .views import console, public

app_name = "reports"
urlpatterns = [
    # The resident's side
    path("report/", public.report_page, name="report"),
    path("report/nearby/", public.nearby, name="nearby"),
    path("report/<int:pk>/me-too/", public.me_too, name="me-too"),
    path("report/grid-worker/", public.grid_worker, name="grid-worker"),
    path("r/<str:code>/", public.track, name="track"),
    path("r/<str:code>/confirm/", public.track_respond, {"action": "confirm"}, name="confirm"),
    path("r/<str:code>/dispute/", public.track_respond, {"action": "dispute"}, name="dispute"),
    path("r/<str:code>/photos/<int:pk>/<str:variant>/", public.photo, name="photo"),
    path("my/reports/", public.my_reports, name="mine"),
    # The staff console
    path("reports/", console.console, name="console"),
    path("reports/map.geojson", console.console_geojson, name="console-geojson"),
    path("reports/bulk-dispatch/", console.bulk_dispatch, name="bulk-dispatch"),
    path("reports/notifications/", console.notifications, name="notifications"),
    path("reports/<int:pk>/", console.detail, name="detail"),
    path("reports/<int:pk>/<slug:action>/", console.act, name="act"),
]
