"""Pages of notifications, mounted under /c/<coop_slug>/notifications/ (see alliedup/urls.py)."""

from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("settings/", views.settings_page, name="settings"),
    # The signed token names the worker, kind and channel (notifications/tokens.py).
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
