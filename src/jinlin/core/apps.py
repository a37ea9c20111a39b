from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jinlin.core"
    label = "core"
    verbose_name = "系统与权限"

    def ready(self) -> None:
        from jinlin.core import signals  # noqa: F401  (login auditing)
