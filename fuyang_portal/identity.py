"""Resident ID numbers at rest: encrypted, found by a keyed hash, shown masked. Models hold two columns, e.g.
``id_number`` (EncryptedTextField) and ``id_number_hash``.

The cipher is pluggable (setting FIELD_ENCRYPTION_CIPHER):

- ``fernet``: AES-128-CBC with an HMAC-SHA256 tag (the ``cryptography`` library), the default;
- ``sm4``: SM4-CBC (GB/T 32907, from ``gmssl``) with a random IV and an HMAC-SM3 tag (GB/T 32905) over the
  prefix, the IV and the ciphertext (encrypt-then-MAC), for deployments assessed under 密评 (GB/T 39786).

Every ciphertext says how it was made: ``fernet:v2:<Fernet token>`` or ``sm4:v2:<base64url(iv|ciphertext|tag)>``,
the cipher and the version of the key. Values written before the prefix existed are bare Fernet tokens and are
read with whichever configured key opens them. Keys: FIELD_ENCRYPTION_KEY is the current one and
FIELD_ENCRYPTION_KEY_VERSION its number; FIELD_ENCRYPTION_OLD_KEYS holds earlier versions as long as rows written
with them remain. ``manage.py rotate_field_keys`` rewrites every EncryptedTextField column with the current cipher
and key. The lookup hash has a key of its own (FIELD_LOOKUP_KEY; by default the encryption key, as before), which
rotation leaves alone.
"""

import base64
import hashlib
import hmac
import os
import re

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

from fuyang_portal.validators import normalize_resident_id

CIPHERS = ("fernet", "sm4")
_PREFIX = re.compile(r"^(?P<cipher>[a-z0-9]+):v(?P<version>\d+):")


class UndecryptableValue(ValueError):
    """No configured key opens this ciphertext (a key was removed too early, or the value was altered)."""


# --- ciphers ---------------------------------------------------------------------------------------------------


class FernetCipher:
    name = "fernet"

    def __init__(self, secret):
        # The same derivation as before there were versions, so the rows written then stay readable.
        self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"encrypt:" + secret).digest()))

    def encrypt(self, plaintext, header):
        return self._fernet.encrypt(plaintext).decode()

    def decrypt(self, body, header):
        try:
            return self._fernet.decrypt(body.encode())
        except (InvalidToken, ValueError, TypeError) as error:
            raise UndecryptableValue("Fernet token does not open with this key") from error


def sm3(data):
    """SM3 digest (GB/T 32905). OpenSSL's when it has SM3 (fast), else gmssl's pure-Python one (same result)."""
    if "sm3" in hashlib.algorithms_available:
        return hashlib.new("sm3", data).digest()
    from gmssl import func
    from gmssl import sm3 as gm_sm3

    return bytes.fromhex(gm_sm3.sm3_hash(func.bytes_to_list(data)))


def hmac_sm3(key, message):
    """HMAC (RFC 2104) over SM3, block size 64 bytes."""
    if len(key) > 64:
        key = sm3(key)
    key = key.ljust(64, b"\0")
    inner = sm3(bytes(b ^ 0x36 for b in key) + message)
    return sm3(bytes(b ^ 0x5C for b in key) + inner)


class SM4Cipher:
    name = "sm4"
    IV = 16
    TAG = 32

    def __init__(self, secret):
        try:
            from gmssl.sm4 import SM4_DECRYPT, SM4_ENCRYPT, CryptSM4
        except ImportError as error:  # pragma: no cover - gmssl is a pinned dependency
            raise ImproperlyConfigured("FIELD_ENCRYPTION_CIPHER=sm4 needs the gmssl package.") from error
        # Two independent 128/256-bit keys from the configured secret, derived with SM3.
        key = sm3(b"sm4-encrypt:" + secret)[:16]
        self._mac_key = sm3(b"sm4-mac:" + secret)
        # gmssl keeps the round keys on the object; one object per direction, read-only once set (thread-safe).
        self._encryptor, self._decryptor = CryptSM4(), CryptSM4()
        self._encryptor.set_key(key, SM4_ENCRYPT)
        self._decryptor.set_key(key, SM4_DECRYPT)

    def encrypt(self, plaintext, header):
        iv = os.urandom(self.IV)
        ciphertext = self._encryptor.crypt_cbc(iv, plaintext)
        tag = hmac_sm3(self._mac_key, header.encode() + iv + ciphertext)
        return base64.urlsafe_b64encode(iv + ciphertext + tag).decode()

    def decrypt(self, body, header):
        try:
            raw = base64.urlsafe_b64decode(body.encode())
        except (ValueError, TypeError) as error:
            raise UndecryptableValue("not base64") from error
        if len(raw) < self.IV + 16 + self.TAG or (len(raw) - self.IV - self.TAG) % 16:
            raise UndecryptableValue("truncated SM4 ciphertext")
        iv, ciphertext, tag = raw[: self.IV], raw[self.IV : -self.TAG], raw[-self.TAG :]
        if not hmac.compare_digest(tag, hmac_sm3(self._mac_key, header.encode() + iv + ciphertext)):
            raise UndecryptableValue("SM4 tag does not match (wrong key or altered value)")
        return self._decryptor.crypt_cbc(iv, ciphertext)  # gmssl removes the PKCS#7 padding


_CIPHER_CLASSES = {"fernet": FernetCipher, "sm4": SM4Cipher}


# --- keys --------------------------------------------------------------------------------------------------------


class _Keys:
    """The configured keys, read from settings once and forgotten when a test changes them."""

    def __init__(self):
        self.reset()

    def reset(self):
        self._ciphers = {}
        self._values = None

    def _config(self):
        if self._values is None:
            current = (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
            version = int(getattr(settings, "FIELD_ENCRYPTION_KEY_VERSION", 1))
            ring = {int(v): k.encode() for v, k in (getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", None) or {}).items()}
            ring[version] = current
            cipher = getattr(settings, "FIELD_ENCRYPTION_CIPHER", "fernet") or "fernet"
            if cipher not in CIPHERS:
                raise ImproperlyConfigured(f"Unknown FIELD_ENCRYPTION_CIPHER {cipher!r}: one of {', '.join(CIPHERS)}.")
            lookup = (getattr(settings, "FIELD_LOOKUP_KEY", "") or settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
            self._values = {
                "cipher": cipher,
                "version": version,
                "ring": ring,
                "hash_key": hashlib.sha256(b"lookup:" + lookup).digest(),
            }
        return self._values

    @property
    def cipher_name(self):
        return self._config()["cipher"]

    @property
    def version(self):
        return self._config()["version"]

    @property
    def ring(self):
        return self._config()["ring"]

    @property
    def secret(self):
        return self.ring[self.version]

    @property
    def hash_key(self):
        return self._config()["hash_key"]

    @property
    def fernet(self):
        """The current key's Fernet (kept for callers of the first version of this module)."""
        return self.cipher("fernet", self.version)._fernet

    def cipher(self, name, version):
        if (name, version) not in self._ciphers:
            if name not in _CIPHER_CLASSES:
                raise UndecryptableValue(f"unknown cipher {name!r}")
            if version not in self.ring:
                raise UndecryptableValue(f"key version {version} is not configured")
            self._ciphers[(name, version)] = _CIPHER_CLASSES[name](self.ring[version])
        return self._ciphers[(name, version)]


_keys = _Keys()


@receiver(setting_changed)
def _forget_keys(setting, **kwargs):
    if setting.startswith("FIELD_") or setting == "SECRET_KEY":
        _keys.reset()


def current_scheme():
    """(cipher, key version) that new values are written with."""
    return _keys.cipher_name, _keys.version


def scheme_of(token):
    """(cipher, key version) a stored value was written with; ("fernet", None) for a value from before versions."""
    match = _PREFIX.match(token or "")
    if match is None:
        return "fernet", None
    return match["cipher"], int(match["version"])


def is_current(token):
    """True when the value is already written with the current cipher and key (rotation leaves it)."""
    return scheme_of(token) == current_scheme()


def encrypt(plaintext):
    """The stored form of ``plaintext`` with the current cipher and key."""
    name, version = current_scheme()
    header = f"{name}:v{version}:"
    return header + _keys.cipher(name, version).encrypt(plaintext.encode(), header)


def decrypt(token):
    """The plaintext of a stored value; raises UndecryptableValue when no configured key opens it."""
    match = _PREFIX.match(token)
    if match is not None:
        header = match.group(0)
        return _keys.cipher(match["cipher"], int(match["version"])).decrypt(token[len(header) :], header).decode()
    # A bare Fernet token from before versions: whichever key opens it, the current one first.
    for version in sorted(_keys.ring, key=lambda v: (v != _keys.version, -v)):
        try:
            return _keys.cipher("fernet", version).decrypt(token, "").decode()
        except UndecryptableValue:
            continue
    raise UndecryptableValue("no configured key opens this value")


# --- lookups and display -----------------------------------------------------------------------------------------


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
    """Stores the ciphertext (current cipher and key); reads back plaintext. Not searchable: filter on the hash
    column. A value no configured key opens reads as "" (and ``rotate_field_keys`` reports it)."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return decrypt(value)
        except UndecryptableValue:
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def encrypted_fields():
    """(model, field) for every EncryptedTextField column of every installed model."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField) and field.model is model
    ]
