from django.apps import AppConfig


class ChainConfig(AppConfig):
    """The chain at work: notices down to every household with their reach, and (to come)
    contacts and needs up, 双报到 认领, 楼组 activities. Above party and fieldwork, whose
    network and intake it uses; below the overview."""

    name = "jinlin.chain"
    label = "chain"
    verbose_name = "联络网运行"
