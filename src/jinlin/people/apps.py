from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jinlin.people"
    label = "people"
    verbose_name = "居民"

    def ready(self) -> None:
        from jinlin.people import catalogue, signals  # noqa: F401  (connect their receivers)
