from django.urls import path

from jinlin.ledgers import views

urlpatterns = [
    path("ledgers/", views.ledgers, name="ledgers"),
]
