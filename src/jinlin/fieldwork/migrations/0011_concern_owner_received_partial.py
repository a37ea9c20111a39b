# Concerns with an owner only in the (owner, received_at) index: SQLite's statistics counted the
# NULL owners (almost every concern) as one value held by every row, so for a secretary's
# `area_id = … OR owner_id = …` it scanned the whole table (the 民声 list and its count, 7–27 ms
# over 71,845 concerns; 0.2–0.5 ms with the partial index). docs/performance.md, fifth session.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0010_concern_owner_received"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="concern",
            name="concern_owner_received",
        ),
        migrations.AddIndex(
            model_name="concern",
            index=models.Index(
                condition=models.Q(("owner__isnull", False)),
                fields=["owner", "received_at"],
                name="concern_owner_received",
            ),
        ),
    ]
