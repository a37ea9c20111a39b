from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "jinlin.fieldwork"
    label = "fieldwork"
    verbose_name = "望闻问切"

    def ready(self) -> None:
        # Evidence pages offer the open cases to join; cases sit above them (common/joinable.py).
        from jinlin.fieldwork.cases.selectors import joinable_cases
        from jinlin.fieldwork.common import joinable

        joinable.provide(joinable_cases)
