"""``manage.py rotate_encryption_keys``: re-encrypt every stored secret under the newest key.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one after it), deploy,
run this command, then drop the old key. Rows are read with any configured key and written
back with the first, in batches, one UPDATE per row, without touching ``updated_at``.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from claimlens.crypto import EncryptedTextField


def encrypted_fields() -> dict:
    """Every model with encrypted fields, and the names of those fields."""
    found = {}
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found[model] = names
    return found


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        for model, names in encrypted_fields().items():
            rewritten = 0
            rows = model._default_manager.only("pk", *names).order_by("pk")
            for obj in rows.iterator(chunk_size=batch_size):
                with transaction.atomic():
                    model._default_manager.filter(pk=obj.pk).update(
                        **{name: getattr(obj, name) for name in names}
                    )
                rewritten += 1
            self.stdout.write(
                f"{model._meta.label}: {rewritten} row(s) re-encrypted ({', '.join(names)})"
            )
