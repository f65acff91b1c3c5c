"""manage.py rotate_field_keys: rewrite every EncryptedTextField column of every model with the current cipher and
key (FIELD_ENCRYPTION_CIPHER, FIELD_ENCRYPTION_KEY / _VERSION), in batches, each batch one transaction with its
rows locked. Values already current are left alone, so a second run (or a run after an interruption) writes only
what is left. Each run is an audit row. Exits non-zero when a value opens with no configured key (it is left as it
is and named by table and id)."""

from collections import Counter

from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from fuyang_portal import identity

HASH_SAMPLE = 20


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the current cipher and key (idempotent, batched, audited)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be rewritten; write nothing.")

    def handle(self, *args, batch_size, dry_run, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        cipher, version = identity.current_scheme()
        columns = identity.encrypted_fields()
        self._check_lookup_hashes(columns)
        total_rotated, unreadable, seen = 0, [], Counter()
        for model, field in columns:
            rotated, schemes, bad = self._rotate(model, field, batch_size, dry_run)
            total_rotated += rotated
            seen.update(schemes)
            unreadable += [f"{model._meta.db_table}:{pk}" for pk in bad]
            if verbosity:
                found = ", ".join(f"{name}{'' if v is None else f':v{v}'} {n}" for (name, v), n in sorted(schemes.items(), key=str))
                self.stdout.write(
                    f"{model._meta.label}.{field.name}: {'would rewrite' if dry_run else 'rewrote'} {rotated}"
                    f" (found: {found or 'no values'}){f'; {len(bad)} unreadable' if bad else ''}"
                )
        summary = (
            f"{'would rewrite' if dry_run else 'rewrote'} {total_rotated} values in {len(columns)} columns "
            f"to {cipher}:v{version}; {len(unreadable)} unreadable"
        )
        if not dry_run:
            self._audit(summary, unreadable)
        self.stdout.write(summary)
        if unreadable:
            raise CommandError(
                "These values open with no configured key and were left as they are (add the key they were written "
                f"with to FIELD_ENCRYPTION_OLD_KEYS): {', '.join(unreadable[:50])}{' …' if len(unreadable) > 50 else ''}"
            )

    def _raw_rows(self, model, field):
        """(pk, stored text) without decrypting: the column cast to plain text."""
        return model._base_manager.annotate(_stored=Cast(field.name, output_field=models.TextField()))

    def _rotate(self, model, field, batch_size, dry_run):
        rotated, schemes, unreadable, last_pk = 0, Counter(), [], None
        while True:
            with transaction.atomic():
                rows = self._raw_rows(model, field).order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                if not dry_run:
                    rows = rows.select_for_update(of=("self",))
                batch = list(rows.values_list("pk", "_stored")[:batch_size])
                if not batch:
                    break
                last_pk = batch[-1][0]
                for pk, stored in batch:
                    if stored in (None, ""):
                        continue
                    schemes[identity.scheme_of(stored)] += 1
                    if identity.is_current(stored):
                        continue
                    try:
                        plaintext = identity.decrypt(stored)
                    except identity.UndecryptableValue:
                        unreadable.append(pk)
                        continue
                    rotated += 1
                    if not dry_run:
                        # update() encrypts through the field with the current cipher and key, and leaves every
                        # other column (updated_at, versions) as it is.
                        model._base_manager.filter(pk=pk).update(**{field.name: plaintext})
        return rotated, schemes, unreadable

    def _check_lookup_hashes(self, columns):
        """Refuse to run when the lookup hashes no longer match the numbers: FIELD_LOOKUP_KEY was not kept when
        FIELD_ENCRYPTION_KEY changed, and duplicates would go unfound."""
        for model, field in columns:
            try:
                hash_field = model._meta.get_field(f"{field.name}_hash")
            except FieldDoesNotExist:
                continue
            sample = model._base_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
            for value, stored_hash in sample.order_by("pk").values_list(field.name, hash_field.name)[:HASH_SAMPLE]:
                if value and stored_hash and identity.lookup_hash(value) != stored_hash:
                    raise CommandError(
                        f"{model._meta.label}.{hash_field.name} no longer matches the numbers: the lookup hashes were "
                        "made with another key. Set FIELD_LOOKUP_KEY to the key they were made with (the first "
                        "FIELD_ENCRYPTION_KEY) before rotating. Nothing was changed."
                    )

    def _audit(self, summary, unreadable):
        from fuyang_portal import audit
        from fuyang_portal.models import AuditEvent

        kind = getattr(AuditEvent.Kind, "KEY_ROTATION", AuditEvent.Kind.CHANGE)
        outcome = AuditEvent.Outcome.FAILURE if unreadable else AuditEvent.Outcome.SUCCESS
        audit.record(kind, username="manage.py rotate_field_keys", target="field encryption keys", detail=summary, outcome=outcome)
