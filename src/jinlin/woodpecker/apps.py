from django.apps import AppConfig


class WoodpeckerConfig(AppConfig):
    name = "jinlin.woodpecker"
    label = "woodpecker"
    verbose_name = "纠错有奖"
