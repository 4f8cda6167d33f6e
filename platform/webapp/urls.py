from django.urls import path

from webapp import views

app_name = "webapp"
urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("welcome/charter/", views.onboarding_charter, name="onboarding_charter"),
    path("welcome/profile/", views.onboarding_profile, name="onboarding_profile"),
    path("proposals/<uuid:public_id>/", views.proposal_detail, name="proposal"),
    path("people/<uuid:public_id>/", views.person_detail, name="person"),
    path("people/<uuid:public_id>/visit/", views.log_visit, name="log_visit"),
    path("outings/", views.outing_list, name="outings"),
    path("outings/<uuid:public_id>/", views.outing_detail, name="outing_detail"),
    path("outings/<uuid:public_id>/calendar.ics", views.outing_calendar, name="outing_calendar"),
    path("circles/<uuid:public_id>/messages/", views.circle_messages, name="circle_messages"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/text-size/", views.text_size, name="text_size"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export.json", views.my_data_export, name="my_data_export"),
    path("my-data/delete/", views.my_data_delete, name="my_data_delete"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
