from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """Counts across the domains (registry, fieldwork, Party network) and the audit log:
    the pages of those who oversee whole areas. Above every domain app; no models."""

    name = "jinlin.overview"
    label = "overview"
    verbose_name = "总览"
