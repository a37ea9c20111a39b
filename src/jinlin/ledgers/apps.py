from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "jinlin.ledgers"
    verbose_name = "台账"
