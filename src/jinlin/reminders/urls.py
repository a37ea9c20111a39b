from django.urls import path

from jinlin.reminders import views

urlpatterns = [
    path("reminders/settings/", views.reminder_settings, name="reminder_settings"),
]
