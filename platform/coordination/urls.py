"""The coordinator workspace (brand hosts, /coordination/). The journey tests of the volunteer app
rely on these paths: keep them stable."""

from django.urls import path

from coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "concerns/<uuid:public_id>/acknowledge/",
        views.acknowledge_concern,
        name="acknowledge_concern",
    ),
    path("impact/", views.impact, name="impact"),
    path("impact.csv", views.impact_csv, name="impact_csv"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<uuid:public_id>/", views.person_detail, name="person"),
    path("people/<uuid:public_id>/match/", views.person_match, name="person_match"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<uuid:public_id>/<str:action>/", views.proposal_action, name="proposal_action"),
    path("vetting/", views.vetting, name="vetting"),
    path(
        "vetting/<uuid:user_id>/steps/<uuid:step_id>/",
        views.vetting_complete,
        name="vetting_complete",
    ),
    path("vetting/<uuid:user_id>/status/", views.vetting_status, name="vetting_status"),
    path("outings/", views.outings, name="outings"),
    path("outings/<uuid:public_id>/", views.outing_detail, name="outing"),
    path("outings/<uuid:public_id>/cancel/", views.outing_cancel, name="outing_cancel"),
    path(
        "outings/<uuid:public_id>/participants/",
        views.outing_register_person,
        name="outing_register_person",
    ),
    path(
        "outings/<uuid:public_id>/signups/<uuid:signup_id>/cancel/",
        views.outing_cancel_signup,
        name="outing_cancel_signup",
    ),
    path("members/", views.members, name="members"),
    path("members/<uuid:public_id>/role/", views.member_role, name="member_role"),
    path("members/<uuid:public_id>/active/", views.member_active, name="member_active"),
]
