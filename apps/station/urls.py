from django.urls import path

from .views import desk, public, resident

app_name = "station"
urlpatterns = [
    path("station/", public.index, name="index"),
    path("station/my/", resident.my_station, name="my"),
    path("station/services.json", public.services_json, name="services_json"),
    path("station/<int:facility_id>/", public.station_detail, name="station"),
    path(
        "station/<int:facility_id>/book/<int:bookable_id>/",
        public.bookable_detail,
        name="bookable",
    ),
    path("station/<int:facility_id>/tools/<int:tool_id>/", public.tool_detail, name="tool"),
    path("station/<int:facility_id>/desk/", desk.desk, name="desk"),
    path("station/<int:facility_id>/desk/find/", desk.find_code, name="find"),
    path("station/<int:facility_id>/parcels/new/", desk.parcel_create, name="parcel_create"),
    path("station/bookings/<int:pk>/", resident.booking_detail, name="booking"),
    path("station/bookings/<int:pk>/change/", resident.booking_change, name="booking_change"),
    path("station/loans/<int:pk>/", resident.loan_detail, name="loan"),
    path("station/loans/<int:pk>/change/", resident.loan_change, name="loan_change"),
    path("station/parcels/<int:pk>/", desk.parcel_detail, name="parcel"),
    path("station/parcels/<int:pk>/pick-up/", desk.parcel_pickup, name="parcel_pickup"),
    path("station/parcels/<int:pk>/change/", desk.parcel_change, name="parcel_change"),
]
