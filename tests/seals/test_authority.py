from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from modules.common.errors import NotFound, ValidationFailed
from modules.seals.crypto import authority as A

from .conftest import NOW


def test_keystore_roundtrip_and_encryption_at_rest(tmp_path):
    store = A.KeyStore(A.DirectoryStorage(tmp_path), bytes(32))
    key = A.generate_key("ecdsa")
    store.put("k1", key)
    blob = (tmp_path / "k1.key").read_bytes()
    assert blob.startswith(b"OKS1")
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    assert raw not in blob
    assert store.get("k1").private_numbers() == key.private_numbers()
    assert (tmp_path / "k1.key").stat().st_mode & 0o777 == 0o600


def test_keystore_wrong_master_key_and_swapped_blob_refused():
    storage = A.MemoryStorage()
    store = A.KeyStore(storage, bytes(32))
    store.put("a", A.generate_key())
    store.put("b", A.generate_key())
    other = A.KeyStore(storage, bytes([1]) * 32)
    with pytest.raises(ValidationFailed) as exc:
        other.get("a")
    assert exc.value.code == "seal.keystore_decrypt_failed"
    storage.blobs["b"] = storage.blobs["a"]  # key id is bound as associated data
    with pytest.raises(ValidationFailed):
        store.get("b")
    with pytest.raises(NotFound):
        store.get("missing")
    with pytest.raises(ValidationFailed):
        store.get("../etc/passwd")


def test_master_key_parsing(monkeypatch):
    key = A.new_master_key()
    monkeypatch.setenv(A.MASTER_KEY_ENV, key)
    assert len(A.master_key_from_env()) == 32
    for bad in ("", "not base64!", "c2hvcnQ="):
        with pytest.raises(ValidationFailed) as exc:
            A.parse_master_key(bad)
        assert "32" in exc.value.message("en")


def test_callback_storage_is_used():
    saved: dict[str, bytes] = {}
    store = A.KeyStore(A.CallbackStorage(saved.__setitem__, saved.get), bytes(32))
    store.put("x", A.generate_key())
    assert set(saved) == {"x"} and store.has("x")


def test_seal_certificate_fields(env):
    cert = env.gov.signer.certificate
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "某某市人民政府办公室公章"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "某某市人民政府办公室"
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    assert not ku.value.key_cert_sign
    cert.verify_directly_issued_by(env.authority.root)
    bc = env.authority.root.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.value.ca


def test_bad_validity_and_pem_helpers(env):
    with pytest.raises(ValidationFailed):
        env.authority.issue_person_certificate(
            person_id="p", person_name="李四", body_name="x", key_id="p-x",
            not_before=NOW, not_after=NOW - dt.timedelta(days=1))
    pem = env.authority.root_pem
    assert A.cert_from_bytes(pem) == env.authority.root
    assert A.certs_from_pem_bundle(pem + A.cert_to_pem(env.gov.signer.certificate))[1] == \
        env.gov.signer.certificate
    with pytest.raises(ValidationFailed):
        A.cert_from_bytes(b"garbage")
    key = A.generate_key()
    assert A.key_from_encrypted_pem(A.key_to_encrypted_pem(key, b"pw"), b"pw").private_numbers() \
        == key.private_numbers()
    reopened = A.SealAuthority.load(pem, env.keystore)
    assert reopened.root == env.authority.root
