from django.urls import path

from .views import api, coverage, me, people, plans, runs

app_name = "patrols"
urlpatterns = [
    # A grid worker's own area, on the phone
    path("me/", me.me, name="me"),
    path("me/locate/", me.locate, name="locate"),
    # Planning (staff)
    path("patrols/", plans.plan_list, name="plans"),
    path("patrols/calendar/", plans.calendar, name="calendar"),
    path("patrols/plans/new/", plans.plan_new, name="plan-new"),
    path("patrols/plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("patrols/plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("patrols/plans/<int:pk>/archive/", plans.plan_archive, name="plan-archive"),
    path("patrols/assign/", people.assign_page, name="assign"),
    path("patrols/roster/", people.roster, name="roster"),
    path("patrols/roster/<int:pk>/delete/", people.roster_delete, name="roster-delete"),
    path("patrols/coverage/", coverage.coverage_page, name="coverage"),
    # One patrol
    path("patrols/<int:pk>/", runs.instance_detail, name="instance"),
    path("patrols/<int:pk>/run/", runs.run, name="run"),
    path("patrols/<int:pk>/sheet/", runs.sheet, name="sheet"),
    # JSON
    path("patrols/api/plans/", api.plan_create, name="api-plans"),
    path("patrols/api/plans/check/", api.plan_check, name="api-plan-check"),
    path("patrols/api/plans/<int:pk>/", api.plan_update, name="api-plan"),
    path("patrols/api/patrols/<int:pk>/", api.instance_detail, name="api-instance"),
    path(
        "patrols/api/patrols/<int:pk>/transition/", api.instance_transition, name="api-transition"
    ),
    path("patrols/api/patrols/<int:pk>/checkins/", api.checkin_create, name="api-checkins"),
    path("patrols/api/patrols/<int:pk>/track/", api.track_post, name="api-track"),
    path("patrols/api/patrols/<int:pk>/track/upload/", api.track_upload, name="api-track-upload"),
    path("patrols/api/patrols/<int:pk>/findings/", api.finding_create, name="api-findings"),
    path("patrols/api/checkins/<int:pk>/", api.checkin_update, name="api-checkin"),
    path("patrols/api/assignments/", people.assignments, name="api-assignments"),
    path("patrols/api/coverage.geojson", coverage.coverage_geojson, name="api-coverage"),
]
