from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "jinlin.places"
    label = "places"
    verbose_name = "地点"
