from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The operators' console at the top of the house: `jinlin serve` prepares the database
    (migrations, demo data) and starts the server, so it may reach every app below."""

    name = "jinlin.console"
    label = "console"
    verbose_name = "控制台"
