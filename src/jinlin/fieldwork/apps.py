from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "jinlin.fieldwork"
    label = "fieldwork"
    verbose_name = "望闻问切"
