from django.urls import path

from placements.views import applicants

urlpatterns = [
    path("applicants/", applicants.applicants, name="applicants"),
    path("applicants/<uuid:applicant_uuid>/", applicants.applicant_detail, name="applicant_detail"),
    path("applicants/<uuid:applicant_uuid>/resume/", applicants.applicant_resume, name="applicant_resume"),
    path("applicants/<uuid:applicant_uuid>/hire/", applicants.applicant_hire_view, name="applicant_hire"),
    path("applicants/<uuid:applicant_uuid>/decline/", applicants.applicant_decline_view, name="applicant_decline"),
]
