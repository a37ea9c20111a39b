from django.contrib import admin
from django.urls import include, path

from jinlin.core.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jinlin.core.urls")),
    path("", include("jinlin.places.urls")),
    path("", include("jinlin.people.urls")),
    path("", include("jinlin.fieldwork.urls")),
    path("", include("jinlin.party.urls")),
    path("", include("jinlin.woodpecker.urls")),
]
