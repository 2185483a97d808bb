"""Internal seal authority (内部印章证书机构) and the encrypted key store.

The product ships its own certificate authority so that stamping and verification work
end to end without an external seal platform. It issues:

* one **root CA** certificate (RSA 3072, SHA-256; verified by poppler/NSS and pyHanko);
* **seal certificates** (印章证书): subject CN = the seal's name, O = the owning body,
  key usage digitalSignature + nonRepudiation (critical);
* **personal certificates** (个人签名证书) for people's signing keys (approvals, 个人名章);
* a **time-stamping certificate** for the in-process RFC 3161 time-stamp authority used
  where no external one is configured.

End-entity keys are ECDSA P-256 by default (fast to make, small signatures; RSA 3072 is
available). Private keys never leave :class:`KeyStore` unencrypted: blobs are
AES-256-GCM with the key id as associated data, under a 32-byte master key the caller
supplies (from configuration or the environment, see :func:`master_key_from_env`).

Everything here is pure computation plus the storage callbacks the caller provides; it is
safe to call from any thread as long as the storage backend is.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from modules.common.errors import NotFound, ValidationFailed
from modules.common.messages import register

register(
    {
        "seal.keystore_missing": {
            "zh_CN": "密钥库中找不到密钥“{key_id}”。",
            "en": "The key store has no key '{key_id}'.",
        },
        "seal.keystore_decrypt_failed": {
            "zh_CN": "无法解密密钥“{key_id}”：主密钥不正确或密钥文件已损坏。",
            "en": "Key '{key_id}' cannot be decrypted: wrong master key or damaged key file.",
        },
        "seal.keystore_bad_master_key": {
            "zh_CN": "印章主密钥配置无效：须为 32 字节（Base64 编码）。",
            "en": "The seal master key is not valid: it must be 32 bytes (Base64).",
        },
        "seal.keystore_bad_key_id": {
            "zh_CN": "密钥编号“{key_id}”无效：只能包含字母、数字、点、下划线和连字符。",
            "en": "Key id '{key_id}' is not valid: use letters, digits, dot, underscore and hyphen only.",
        },
        "seal.cert_bad_validity": {
            "zh_CN": "证书有效期无效：截止时间须晚于开始时间。",
            "en": "The certificate validity is not valid: the end must be after the start.",
        },
        "seal.cert_bad_pem": {
            "zh_CN": "证书内容无法读取（需要 PEM 或 DER 格式的 X.509 证书）。",
            "en": "The certificate cannot be read (an X.509 certificate in PEM or DER is needed).",
        },
    }
)

#: Environment variable holding the Base64 master key for the seal key store.
MASTER_KEY_ENV = "OFFICE_SEAL_MASTER_KEY"

_BLOB_MAGIC = b"OKS1"
_RAW_MAGIC = b"OKR1"
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

#: RFC 9336 id-kp-documentSigning: the extended key usage of archive signing certificates.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


# --------------------------------------------------------------------------- key store


class BlobStorage(Protocol):
    """Where encrypted key blobs live. Implementations must be atomic per blob."""

    def save(self, key_id: str, blob: bytes) -> None: ...

    def load(self, key_id: str) -> bytes | None: ...

    def delete(self, key_id: str) -> None: ...


class DirectoryStorage:
    """Blobs as files ``<key_id>.key`` in a directory (written atomically, mode 0600)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, key_id: str) -> Path:
        return self.directory / f"{key_id}.key"

    def save(self, key_id: str, blob: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self._path(key_id)
        tmp = target.with_suffix(f".tmp{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()

    def load(self, key_id: str) -> bytes | None:
        try:
            return self._path(key_id).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key_id: str) -> None:
        self._path(key_id).unlink(missing_ok=True)


class CallbackStorage:
    """Blobs through caller-supplied callbacks (e.g. a database table on the server)."""

    def __init__(
        self,
        save: Callable[[str, bytes], None],
        load: Callable[[str], bytes | None],
        delete: Callable[[str], object] | None = None,
    ) -> None:
        self._save, self._load, self._delete = save, load, delete

    def save(self, key_id: str, blob: bytes) -> None:
        self._save(key_id, blob)

    def load(self, key_id: str) -> bytes | None:
        return self._load(key_id)

    def delete(self, key_id: str) -> None:
        if self._delete is not None:
            self._delete(key_id)


class MemoryStorage(CallbackStorage):
    """Blobs in a dict; for tests and one-off tools."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        super().__init__(self.blobs.__setitem__, self.blobs.get, lambda k: self.blobs.pop(k, None))


def master_key_from_env(var: str = MASTER_KEY_ENV) -> bytes:
    """Read the 32-byte master key (Base64) from environment variable ``var``."""
    return parse_master_key(os.environ.get(var, ""))


def parse_master_key(text: str | bytes) -> bytes:
    """Decode a Base64 master key; raise ``seal.keystore_bad_master_key`` if not 32 bytes."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed("seal.keystore_bad_master_key") from exc
    if len(raw) != 32:
        raise ValidationFailed("seal.keystore_bad_master_key")
    return raw


def new_master_key() -> str:
    """A fresh random master key, Base64, for configuration."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class KeyStore:
    """Private keys encrypted at rest (AES-256-GCM, key id bound as associated data).

    ``storage`` decides where blobs go (:class:`DirectoryStorage`,
    :class:`CallbackStorage`, :class:`MemoryStorage`). The key store itself holds no
    decrypted key beyond a call. Thread-safe if ``storage`` is.
    """

    def __init__(self, storage: BlobStorage, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValidationFailed("seal.keystore_bad_master_key")
        self._aead = AESGCM(master_key)
        self.storage = storage

    @staticmethod
    def _check_id(key_id: str) -> None:
        if not _KEY_ID_RE.match(key_id or ""):
            raise ValidationFailed("seal.keystore_bad_key_id", key_id=key_id)

    def _encrypt(self, key_id: str, plaintext: bytes, magic: bytes) -> None:
        self._check_id(key_id)
        nonce = secrets.token_bytes(12)
        blob = magic + nonce + self._aead.encrypt(nonce, plaintext, key_id.encode())
        self.storage.save(key_id, blob)

    def _decrypt(self, key_id: str, magic: bytes) -> bytes:
        self._check_id(key_id)
        blob = self.storage.load(key_id)
        if blob is None:
            raise NotFound("seal.keystore_missing", key_id=key_id)
        if not blob.startswith(magic) or len(blob) < 4 + 12 + 16:
            raise ValidationFailed("seal.keystore_decrypt_failed", key_id=key_id)
        nonce, ct = blob[4:16], blob[16:]
        try:
            return self._aead.decrypt(nonce, ct, key_id.encode())
        except Exception as exc:  # InvalidTag: wrong master key or damaged blob
            raise ValidationFailed("seal.keystore_decrypt_failed", key_id=key_id) from exc

    def put(self, key_id: str, key: PrivateKey) -> None:
        """Encrypt and store ``key`` under ``key_id`` (replacing any earlier one)."""
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._encrypt(key_id, der, _BLOB_MAGIC)

    def get(self, key_id: str) -> PrivateKey:
        """Load and decrypt the key; ``NotFound``/``ValidationFailed`` on failure."""
        der = self._decrypt(key_id, _BLOB_MAGIC)
        key = serialization.load_der_private_key(der, password=None)
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise ValidationFailed("seal.keystore_decrypt_failed", key_id=key_id)
        return key

    def put_secret(self, key_id: str, secret: bytes) -> None:
        """Store raw key material (e.g. an SM2 private scalar, which PKCS#8 tools here
        cannot carry), encrypted the same way."""
        self._encrypt(key_id, secret, _RAW_MAGIC)

    def get_secret(self, key_id: str) -> bytes:
        return self._decrypt(key_id, _RAW_MAGIC)

    def has(self, key_id: str) -> bool:
        self._check_id(key_id)
        return self.storage.load(key_id) is not None

    def delete(self, key_id: str) -> None:
        self._check_id(key_id)
        self.storage.delete(key_id)


# --------------------------------------------------------------------------- PEM helpers


def cert_to_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def cert_from_bytes(data: bytes) -> x509.Certificate:
    """Load one certificate from PEM or DER; ``seal.cert_bad_pem`` when unreadable."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise ValidationFailed("seal.cert_bad_pem") from exc


def certs_from_pem_bundle(data: bytes) -> list[x509.Certificate]:
    """All certificates in a PEM bundle (or the single DER certificate)."""
    if b"-----BEGIN" not in data:
        return [cert_from_bytes(data)]
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise ValidationFailed("seal.cert_bad_pem") from exc


def key_to_encrypted_pem(key: PrivateKey, password: bytes) -> bytes:
    """PKCS#8 PEM encrypted with ``password`` (for export/backup to other tools)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )


def key_from_encrypted_pem(data: bytes, password: bytes) -> PrivateKey:
    key = serialization.load_pem_private_key(data, password=password)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValidationFailed("seal.keystore_decrypt_failed", key_id="pem")
    return key


# --------------------------------------------------------------------------- authority


def generate_key(algorithm: str = "ecdsa") -> PrivateKey:
    """A new private key: ``"ecdsa"`` (P-256) or ``"rsa"`` (3072 bits)."""
    if algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    if algorithm == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown key algorithm {algorithm!r}")


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class IssuedKey:
    """A certificate just issued, and the key-store id of its private key."""

    key_id: str
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return cert_to_pem(self.certificate)


class SealAuthority:
    """The internal CA: a root certificate plus its key in a :class:`KeyStore`.

    Create once with :meth:`create`, keep ``root_pem`` (public, also the verifiers' trust
    root) and the key store; reopen with :meth:`load`.
    """

    ROOT_KEY_ID = "authority-root"

    def __init__(self, root: x509.Certificate, keystore: KeyStore,
                 root_key_id: str = ROOT_KEY_ID) -> None:
        self.root = root
        self.keystore = keystore
        self.root_key_id = root_key_id

    @property
    def root_pem(self) -> bytes:
        return cert_to_pem(self.root)

    @classmethod
    def create(
        cls,
        name: str,
        *,
        keystore: KeyStore,
        now: dt.datetime,
        years: int = 20,
        organisation: str = "协同办公",
        root_key_id: str = ROOT_KEY_ID,
    ) -> SealAuthority:
        """Make a new root CA (RSA 3072, self-signed) and store its key."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        start = _utc(now) - dt.timedelta(minutes=5)
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False, content_commitment=False,
                    key_encipherment=False, data_encipherment=False, key_agreement=False,
                    key_cert_sign=True, crl_sign=True, encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        keystore.put(root_key_id, key)
        return cls(cert, keystore, root_key_id)

    @classmethod
    def load(cls, root_pem: bytes, keystore: KeyStore,
             root_key_id: str = ROOT_KEY_ID) -> SealAuthority:
        return cls(cert_from_bytes(root_pem), keystore, root_key_id)

    def _issue(
        self,
        subject: x509.Name,
        *,
        key_id: str,
        not_before: dt.datetime,
        not_after: dt.datetime,
        algorithm: str,
        eku: list[x509.ObjectIdentifier] | None,
        key_usage_signing: bool = True,
        public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey | None = None,
    ) -> IssuedKey:
        start, end = _utc(not_before), _utc(not_after)
        if end <= start:
            raise ValidationFailed("seal.cert_bad_validity")
        end = min(end, self.root.not_valid_after_utc)
        root_key = self.keystore.get(self.root_key_id)
        key = generate_key(algorithm) if public_key is None else None
        subject_key = key.public_key() if key is not None else public_key
        assert subject_key is not None
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.root.subject)
            .public_key(subject_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=key_usage_signing,
                    key_encipherment=False, data_encipherment=False, key_agreement=False,
                    key_cert_sign=False, crl_sign=False, encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(subject_key), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
        )
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
        cert = builder.sign(root_key, hashes.SHA256())
        if key is not None:
            self.keystore.put(key_id, key)
        return IssuedKey(key_id, cert)

    def issue_seal_certificate(
        self,
        *,
        seal_id: str,
        seal_name: str,
        body_name: str,
        key_id: str,
        not_before: dt.datetime,
        not_after: dt.datetime,
        algorithm: str = "ecdsa",
    ) -> IssuedKey:
        """Certificate for one seal: CN = seal name, O = owning body, serialNumber = id."""
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, body_name),
                x509.NameAttribute(NameOID.COMMON_NAME, seal_name),
                x509.NameAttribute(NameOID.SERIAL_NUMBER, seal_id),
            ]
        )
        return self._issue(subject, key_id=key_id, not_before=not_before,
                           not_after=not_after, algorithm=algorithm, eku=None)

    def issue_person_certificate(
        self,
        *,
        person_id: str,
        person_name: str,
        body_name: str,
        key_id: str,
        not_before: dt.datetime,
        not_after: dt.datetime,
        algorithm: str = "ecdsa",
        public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey | None = None,
    ) -> IssuedKey:
        """Certificate for a person's signing key (approvals, 个人名章).

        With ``public_key`` the key pair was made elsewhere (the person's device keeps
        the private key) and nothing is stored; ``key_id`` is then only a label.
        """
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, body_name),
                x509.NameAttribute(NameOID.COMMON_NAME, person_name),
                x509.NameAttribute(NameOID.USER_ID, person_id),
            ]
        )
        return self._issue(subject, key_id=key_id, not_before=not_before,
                           not_after=not_after, algorithm=algorithm, eku=None,
                           public_key=public_key)

    def issue_tsa_certificate(
        self, *, key_id: str, not_before: dt.datetime, not_after: dt.datetime,
        name: str = "协同办公时间戳服务", algorithm: str = "rsa",
    ) -> IssuedKey:
        """Certificate for the in-process RFC 3161 time-stamp authority (RSA by default:
        pyHanko's in-process time-stamper signs with RSA only)."""
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        return self._issue(subject, key_id=key_id, not_before=not_before,
                           not_after=not_after, algorithm=algorithm,
                           eku=[ExtendedKeyUsageOID.TIME_STAMPING], key_usage_signing=True)

    def issue_archive_certificate(
        self, *, body_name: str, key_id: str, not_before: dt.datetime, not_after: dt.datetime,
        name: str = "", algorithm: str = "ecdsa",
    ) -> IssuedKey:
        """Certificate for the key that signs archive packages (``manifest.sig``):
        CN = ``name`` (default “<body>归档签名”), O = the archiving body, extended key usage
        document signing (RFC 9336) only, so no seal or personal key can stand in for it."""
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, body_name),
                x509.NameAttribute(NameOID.COMMON_NAME, name or f"{body_name}归档签名"),
            ]
        )
        return self._issue(subject, key_id=key_id, not_before=not_before,
                           not_after=not_after, algorithm=algorithm,
                           eku=[DOCUMENT_SIGNING], key_usage_signing=True)
