"""Open311 GeoReport v2 at /open311/v2/: every resource in .json and .xml."""

from django.urls import path, re_path, register_converter

from .api import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")

app_name = "open311"
urlpatterns = [
    # The base URL clients append resource names to; it answers with the discovery.
    path("v2/", views.discovery, {"fmt": "xml"}, name="root"),
    path("discovery.<open311fmt:fmt>", views.discovery),
    path("v2/discovery.<open311fmt:fmt>", views.discovery, name="discovery"),
    path("v2/services.<open311fmt:fmt>", views.services, name="services"),
    path("v2/services/<slug:code>.<open311fmt:fmt>", views.service_definition, name="service"),
    path("v2/requests.<open311fmt:fmt>", views.requests, name="requests"),
    path("v2/requests/<int:request_id>.<open311fmt:fmt>", views.request_detail, name="request"),
    path("v2/tokens/<str:token>.<open311fmt:fmt>", views.token, name="token"),
    # [\s\S]: a path with an encoded newline (%0A) is still one of ours.
    re_path(r"^v2/(?P<path>[\s\S]+)$", views.not_found, name="not-found"),
]
