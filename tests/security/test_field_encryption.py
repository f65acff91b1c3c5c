"""Resident IDs at rest: the cipher is pluggable (Fernet or SM4 for 密评), every ciphertext names its cipher and key
version so old rows stay readable, and `manage.py rotate_field_keys` re-encrypts every column, idempotently and
audited."""

import base64
import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from fuyang_portal import identity
from fuyang_portal.identity import EncryptedTextField, lookup_hash, mask_id, mask_name
from fuyang_portal.models import AuditEvent
from subsidies.models import WorkerRegistration
from tests.subsidies.factories import RegistrationFactory, resident_id

OLD, NEW = "old-field-key-0123456789abcdef", "new-field-key-fedcba9876543210"


def _raw(table="subsidies_workerregistration", column="id_number"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table} ORDER BY id")
        return dict(cursor.fetchall())


def _set_raw(pk, value):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE subsidies_workerregistration SET id_number = %s WHERE id = %s", [value, pk])


# --- the algorithms are the national ones ------------------------------------------------------------------------


def test_sm4_is_gb_t_32907_and_sm3_is_gb_t_32905():
    from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    sm4 = CryptSM4()
    sm4.set_key(key, SM4_ENCRYPT)
    # The standard's example: key = plaintext = 0123…3210.
    assert sm4.crypt_ecb(key)[:16].hex() == "681edf34d206965e86b3e94f536e4246"
    assert identity.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_hmac_sm3_is_rfc_2104_with_or_without_openssl_sm3(monkeypatch):
    key, message = b"k" * 70, b"330183199001011234"
    tag = identity.hmac_sm3(key, message)
    if "sm3" in hashlib.algorithms_available:
        assert tag == hmac.new(key, message, "sm3").digest()
    # Without OpenSSL's SM3, gmssl's pure-Python SM3 gives the same tag.
    monkeypatch.setattr(hashlib, "algorithms_available", set(hashlib.algorithms_available) - {"sm3"})
    assert identity.hmac_sm3(key, message) == tag


@override_settings(FIELD_ENCRYPTION_CIPHER="sm4", FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_KEY_VERSION=3)
def test_an_sm4_value_is_sm4_cbc_that_another_implementation_opens():
    """Decrypted by OpenSSL's SM4 (through ``cryptography``) with the key derived from the setting: real SM4-CBC."""
    algorithms = pytest.importorskip("cryptography.hazmat.primitives.ciphers.algorithms")
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

    number = resident_id()
    token = identity.encrypt(number)
    assert token.startswith("sm4:v3:")
    raw = base64.urlsafe_b64decode(token[len("sm4:v3:"):])
    iv, ciphertext, tag = raw[:16], raw[16:-32], raw[-32:]
    key = identity.sm3(b"sm4-encrypt:" + NEW.encode())[:16]
    try:
        decryptor = Cipher(algorithms.SM4(key), modes.CBC(iv)).decryptor()
    except UnsupportedAlgorithm as error:  # an OpenSSL built without SM4
        pytest.skip(f"OpenSSL here has no SM4: {error}")
    unpadder = padding.PKCS7(128).unpadder()
    plain = unpadder.update(decryptor.update(ciphertext) + decryptor.finalize()) + unpadder.finalize()
    assert plain.decode() == number
    # The tag covers the prefix, the IV and the ciphertext.
    assert tag == identity.hmac_sm3(identity.sm3(b"sm4-mac:" + NEW.encode()), b"sm4:v3:" + iv + ciphertext)


# --- the field --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cipher", ["fernet", "sm4"])
def test_each_cipher_stores_a_self_describing_random_ciphertext_and_reads_it_back(cipher):
    field = EncryptedTextField()
    number = resident_id()
    with override_settings(FIELD_ENCRYPTION_CIPHER=cipher, FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_KEY_VERSION=2):
        stored = field.get_prep_value(number)
        assert stored.startswith(f"{cipher}:v2:") and number not in stored and number[-4:] not in stored
        assert field.from_db_value(stored, None, connection) == number
        assert field.get_prep_value(number) != stored  # a fresh IV each time
        assert identity.is_current(stored) and identity.scheme_of(stored) == (cipher, 2)
        assert field.get_prep_value("") == "" and field.from_db_value(None, None, connection) is None


def test_values_written_before_a_change_of_cipher_or_key_stay_readable():
    number = resident_id()
    # A value from before versions: a bare Fernet token made as the first version of this module made it.
    from cryptography.fernet import Fernet

    legacy = Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"encrypt:" + OLD.encode()).digest())).encrypt(number.encode()).decode()
    with override_settings(FIELD_ENCRYPTION_KEY=OLD, FIELD_ENCRYPTION_KEY_VERSION=1, FIELD_ENCRYPTION_CIPHER="fernet"):
        fernet_v1 = identity.encrypt(number)
        assert identity.decrypt(legacy) == number
    with override_settings(FIELD_ENCRYPTION_CIPHER="sm4", FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_KEY_VERSION=2,
                           FIELD_ENCRYPTION_OLD_KEYS={1: OLD}):
        sm4_v2 = identity.encrypt(number)
        assert [identity.decrypt(t) for t in (legacy, fernet_v1, sm4_v2)] == [number] * 3
        assert identity.scheme_of(legacy) == ("fernet", None) and not identity.is_current(fernet_v1)
    # Once the old key is gone, its values no longer open; the field reads them as blank, never as garbage.
    with override_settings(FIELD_ENCRYPTION_CIPHER="sm4", FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_KEY_VERSION=2):
        with pytest.raises(identity.UndecryptableValue):
            identity.decrypt(fernet_v1)
        assert EncryptedTextField().from_db_value(legacy, None, connection) == ""
        assert identity.decrypt(sm4_v2) == number


@override_settings(FIELD_ENCRYPTION_CIPHER="sm4", FIELD_ENCRYPTION_KEY=NEW)
def test_an_altered_or_relabelled_sm4_value_is_refused():
    token = identity.encrypt(resident_id())
    header, body = token[: len("sm4:v1:")], token[len("sm4:v1:"):]
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[20] ^= 0x01
    with pytest.raises(identity.UndecryptableValue, match="tag"):
        identity.decrypt(header + base64.urlsafe_b64encode(bytes(raw)).decode())
    with pytest.raises(identity.UndecryptableValue):
        identity.decrypt(header + body[:-8])  # truncated
    with override_settings(FIELD_ENCRYPTION_OLD_KEYS={7: NEW}, FIELD_ENCRYPTION_KEY_VERSION=8), pytest.raises(identity.UndecryptableValue):
        identity.decrypt("sm4:v7:" + body)  # the tag covers the prefix: relabelling is refused too


def test_an_unknown_cipher_setting_is_refused():
    with override_settings(FIELD_ENCRYPTION_CIPHER="aes"), pytest.raises(ImproperlyConfigured):
        identity.encrypt("x")


def test_the_public_names_other_apps_use_still_work():
    number = resident_id()
    assert mask_id(number) == number[:6] + "********" + number[-4:]
    assert mask_name("张三丰") == "张**"
    assert lookup_hash(number) == lookup_hash(number.lower()) and len(lookup_hash(number)) == 64
    labels = {model._meta.label for model, _field in identity.encrypted_fields()}
    assert {"subsidies.WorkerRegistration", "enterprises.Pass", "labour.Candidate"} <= labels


def test_a_rotated_lookup_key_setting_keeps_hashes_apart_from_the_encryption_key():
    number = resident_id()
    with override_settings(FIELD_ENCRYPTION_KEY=OLD, FIELD_LOOKUP_KEY=""):
        before = lookup_hash(number)
    with override_settings(FIELD_ENCRYPTION_KEY=NEW, FIELD_LOOKUP_KEY=OLD, FIELD_ENCRYPTION_KEY_VERSION=2,
                           FIELD_ENCRYPTION_OLD_KEYS={1: OLD}):
        assert lookup_hash(number) == before


@override_settings(FIELD_ENCRYPTION_CIPHER="sm4", FIELD_ENCRYPTION_KEY=NEW)
def test_the_import_preview_stash_works_under_sm4():
    from enterprises.imports import stash, unstash

    session = {}
    stash(session, "rows", [["张三", resident_id()]])
    assert session["rows"].startswith("sm4:v1:")
    assert unstash(session, "rows")[0][0] == "张三"


# --- rotation ---------------------------------------------------------------------------------------------------


def _old_rows(count=5):
    with override_settings(FIELD_ENCRYPTION_KEY=OLD, FIELD_ENCRYPTION_KEY_VERSION=1, FIELD_ENCRYPTION_CIPHER="fernet"):
        rows = RegistrationFactory.create_batch(count)
        # One row from before versions: a bare Fernet token.
        _set_raw(rows[0].pk, _raw()[rows[0].pk].split(":", 2)[2])
    return {row.pk: row.id_number for row in rows}


ROTATED = {
    "FIELD_ENCRYPTION_CIPHER": "sm4",
    "FIELD_ENCRYPTION_KEY": NEW,
    "FIELD_ENCRYPTION_KEY_VERSION": 2,
    "FIELD_ENCRYPTION_OLD_KEYS": {1: OLD},
    "FIELD_LOOKUP_KEY": OLD,
}


@pytest.mark.django_db
def test_rotation_rewrites_every_value_with_the_current_cipher_and_key_in_batches_and_is_audited(capsys):
    numbers = _old_rows()
    with override_settings(**ROTATED):
        call_command("rotate_field_keys", batch_size=2)
        raw = _raw()
        assert all(value.startswith("sm4:v2:") for value in raw.values())
        assert {pk: identity.decrypt(value) for pk, value in raw.items()} == numbers
        # The lookup hashes still find each person.
        for pk, number in numbers.items():
            assert WorkerRegistration.objects.get(id_number_hash=lookup_hash(number)).pk == pk
        assert "rewrote 5 values" in capsys.readouterr().out
        event = AuditEvent.objects.filter(username="manage.py rotate_field_keys").latest("pk")
        assert "rewrote 5 values" in event.detail and "sm4:v2" in event.detail and event.outcome == "success"

        # A second run finds nothing to do and writes nothing.
        call_command("rotate_field_keys", batch_size=2)
        assert _raw() == raw
        assert "rewrote 0 values" in capsys.readouterr().out
        assert AuditEvent.objects.filter(username="manage.py rotate_field_keys").count() == 2
    # The old key can now be removed: everything opens with the new one alone.
    with override_settings(**{**ROTATED, "FIELD_ENCRYPTION_OLD_KEYS": {}}):
        assert {r.pk: r.id_number for r in WorkerRegistration.objects.all()} == numbers


@pytest.mark.django_db
def test_a_dry_run_counts_and_writes_nothing(capsys):
    _old_rows(3)
    before = _raw()
    with override_settings(**ROTATED):
        call_command("rotate_field_keys", dry_run=True)
    assert _raw() == before
    assert "would rewrite 3 values" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(username="manage.py rotate_field_keys").exists()


@pytest.mark.django_db
def test_a_value_no_key_opens_is_left_named_and_the_run_fails_audited():
    numbers = _old_rows(3)
    broken = min(numbers)
    _set_raw(broken, "fernet:v9:not-a-token")
    with override_settings(**ROTATED):
        with pytest.raises(CommandError, match=f"subsidies_workerregistration:{broken}"):
            call_command("rotate_field_keys")
        raw = _raw()
        assert raw[broken] == "fernet:v9:not-a-token"
        assert all(raw[pk].startswith("sm4:v2:") for pk in numbers if pk != broken)
        event = AuditEvent.objects.filter(username="manage.py rotate_field_keys").latest("pk")
        assert event.outcome == "failure" and "1 unreadable" in event.detail


@pytest.mark.django_db
def test_rotation_refuses_to_run_when_the_lookup_key_was_not_kept():
    _old_rows(2)
    before = _raw()
    with override_settings(**{**ROTATED, "FIELD_LOOKUP_KEY": ""}), pytest.raises(CommandError, match="FIELD_LOOKUP_KEY"):
        call_command("rotate_field_keys")
    assert _raw() == before
