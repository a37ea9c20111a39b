from django.apps import AppConfig


class DoorConfig(AppConfig):
    name = "jinlin.door"
    label = "door"
    verbose_name = "居民扫码"
