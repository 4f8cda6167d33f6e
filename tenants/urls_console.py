from django.urls import path

from tenants import views_console as views

app_name = "console"
urlpatterns = [
    path("brands/", views.brands, name="brands"),
    path("brands/new/", views.provision, name="provision"),
    path("jobs/<uuid:job_id>/", views.provision_job, name="job"),
    path("brands/<uuid:public_id>/", views.brand_detail, name="brand"),
    path("brands/<uuid:public_id>/domains/", views.brand_domain, name="brand_domain"),
    path("brands/<uuid:public_id>/<str:action>/", views.brand_status, name="brand_status"),
]
