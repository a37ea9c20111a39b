from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jinlin.party"
    label = "party"
    verbose_name = "党建联络网"

    def ready(self) -> None:
        from jinlin.party import signals  # noqa: F401  (connects 老党员 upkeep)
        from jinlin.party.importing import RECORDS
        from jinlin.people.importing import register_party_records

        # people's Excel import writes Party members through these (people cannot import party).
        register_party_records(RECORDS)
