from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jinlin.party"
    label = "party"
    verbose_name = "党建联络网"
