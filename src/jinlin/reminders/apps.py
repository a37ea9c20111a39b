from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "jinlin.reminders"
    label = "reminders"
    verbose_name = "提醒与上报"
