from django.urls import path

from jinlin.chain import views

urlpatterns = [
    path("me/", views.member_home, name="member_home"),
]
