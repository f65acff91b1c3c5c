"""Resident ID numbers at rest: encrypted (Fernet, key from FIELD_ENCRYPTION_KEY), found by a keyed hash,
shown masked. Models hold two columns, e.g. ``id_number`` (EncryptedTextField) and ``id_number_hash``."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from fuyang_portal.validators import normalize_resident_id


class _Keys:
    @cached_property
    def secret(self):
        # Without a dedicated key (development only) the key derives from SECRET_KEY.
        return (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()

    @cached_property
    def fernet(self):
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"encrypt:" + self.secret).digest()))

    @cached_property
    def hash_key(self):
        return hashlib.sha256(b"lookup:" + self.secret).digest()


_keys = _Keys()


def lookup_hash(id_number):
    """The keyed hash that finds duplicates without storing the number in the clear."""
    return hmac.new(_keys.hash_key, normalize_resident_id(id_number).encode(), hashlib.sha256).hexdigest()


def mask_id(id_number):
    """330183199001011234 → 330183********1234."""
    value = normalize_resident_id(id_number)
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(name):
    """张三丰 → 张**; a one-character name stays as it is."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; reads back plaintext. Not searchable: filter on the hash column."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return _keys.fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return _keys.fernet.encrypt(value.encode()).decode()
