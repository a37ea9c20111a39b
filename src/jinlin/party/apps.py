from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jinlin.party"
    label = "party"
    verbose_name = "党建联络网"

    def ready(self) -> None:
        from jinlin.party import signals  # noqa: F401  (connects 老党员 upkeep)
