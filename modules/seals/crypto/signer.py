"""One signing interface (签名接口) for every place a key signs.

:class:`Signer` is a protocol: something that holds (or reaches) one private key and its
certificate and signs bytes. Stamping (:mod:`modules.seals.pdf.stamp`) and approval
signatures (:mod:`modules.seals.crypto.approval_sig`) only ever talk to this protocol, so a
PKCS#11 token (UKey, 智能密码钥匙), a signing server or an external seal platform
(签章平台) is added by writing one more class with these four members — see
docs/SEALS.md. This module ships:

* :class:`LocalKeySigner` — a key from the encrypted :class:`~.authority.KeyStore`
  (RSA PKCS#1 v1.5 or ECDSA, SHA-256);
* :class:`SM2Signer` — SM2 with SM3 (国密) through ``gmssl``, for the GB/T 38540
  structure in :mod:`modules.seals.crypto.ses` (PDF signatures cannot use it: no PDF reader
  verifies SM2).

``sign`` may block (a token, the network): call it off the GUI thread.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.signers import Signer as _PyHankoSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from modules.seals.crypto.authority import KeyStore

_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


@runtime_checkable
class Signer(Protocol):
    """A key that signs. Implementations: local key store, PKCS#11, seal platform.

    Contract:

    * ``certificate`` — the signer's X.509 certificate (seal or person);
    * ``chain`` — issuing certificates to embed (root last; may be empty);
    * ``signature_size`` — an upper bound in bytes of one raw signature, used to reserve
      space in the PDF before the real signature exists (no second device round trip);
    * ``sign(data, digest_algorithm)`` — hash ``data`` with ``digest_algorithm``
      (``"sha256"`` …) and return the raw signature in the algorithm's usual encoding
      (RSA PKCS#1 v1.5 bytes, ECDSA DER ``SEQUENCE{r, s}``). May block.
    """

    @property
    def certificate(self) -> x509.Certificate: ...

    @property
    def chain(self) -> list[x509.Certificate]: ...

    @property
    def signature_size(self) -> int: ...

    def sign(self, data: bytes, digest_algorithm: str) -> bytes: ...


def _hash(name: str) -> hashes.HashAlgorithm:
    try:
        return _HASHES[name.lower()]
    except KeyError:
        raise ValueError(f"unsupported digest algorithm {name!r}") from None


class LocalKeySigner:
    """Signer over a key held in the encrypted key store (loaded per signature)."""

    def __init__(
        self,
        keystore: KeyStore,
        key_id: str,
        certificate: x509.Certificate,
        chain: list[x509.Certificate] | None = None,
    ) -> None:
        self.keystore = keystore
        self.key_id = key_id
        self._certificate = certificate
        self._chain = list(chain or [])

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self._chain)

    @property
    def signature_size(self) -> int:
        pub = self._certificate.public_key()
        if isinstance(pub, rsa.RSAPublicKey):
            return (pub.key_size + 7) // 8
        if isinstance(pub, ec.EllipticCurvePublicKey):
            return 2 * ((pub.key_size + 7) // 8) + 9
        raise ValueError("unsupported key type")

    def sign(self, data: bytes, digest_algorithm: str) -> bytes:
        key = self.keystore.get(self.key_id)
        algo = _hash(digest_algorithm)
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), algo)
        return key.sign(data, ec.ECDSA(algo))


def verify_raw(cert: x509.Certificate, signature: bytes, data: bytes,
               digest_algorithm: str = "sha256") -> bool:
    """Check a raw signature made by :meth:`Signer.sign` against ``cert``'s public key."""
    from cryptography.exceptions import InvalidSignature

    pub = cert.public_key()
    algo = _hash(digest_algorithm)
    try:
        if isinstance(pub, rsa.RSAPublicKey):
            pub.verify(signature, data, padding.PKCS1v15(), algo)
        elif isinstance(pub, ec.EllipticCurvePublicKey):
            pub.verify(signature, data, ec.ECDSA(algo))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class PyHankoSignerAdapter(_PyHankoSigner):
    """Presents any :class:`Signer` to pyHanko's CMS machinery.

    For the size estimate (``dry_run``) it returns zero bytes of ``signature_size``
    instead of calling the key, so a token or platform is asked only once per stamp.
    """

    def __init__(self, signer: Signer) -> None:
        registry = SimpleCertificateStore.from_certs([_to_asn1(c) for c in signer.chain])
        super().__init__(signing_cert=_to_asn1(signer.certificate), cert_registry=registry,
                         embed_roots=True)
        self._signer = signer

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self._signer.signature_size)
        return self._signer.sign(data, digest_algorithm)


# --------------------------------------------------------------------------- SM2 (国密)

class SM2Signer:
    """SM2-with-SM3 signer over an SM2 key in the key store (raw scalar, see
    :meth:`KeyStore.put_secret`) and its SM2 certificate (DER; ``cryptography`` cannot
    represent SM2 certificates, hence ``certificate_der``).

    Not a PDF signer: PDF readers do not verify SM2. Used for the GB/T 38540 structures
    in :mod:`modules.seals.crypto.ses`. A GM token (SKF/PKCS#11 with SM2) replaces this class by
    one with the same members. ``sign`` returns DER ``SEQUENCE{r, s}`` over
    SM3(Z ‖ data) with the default user id.
    """

    def __init__(self, keystore: KeyStore, key_id: str, certificate_der: bytes,
                 public_key_hex: str) -> None:
        self.keystore = keystore
        self.key_id = key_id
        self.certificate_der = certificate_der
        self.public_key_hex = public_key_hex

    @property
    def signature_size(self) -> int:
        return 72

    def sign(self, data: bytes, digest_algorithm: str = "sm3") -> bytes:
        from modules.seals.crypto import sm2

        if digest_algorithm != "sm3":
            raise ValueError("SM2 signs with SM3 only")
        private_hex = self.keystore.get_secret(self.key_id).hex()
        return sm2.sign(private_hex, self.public_key_hex, data)
