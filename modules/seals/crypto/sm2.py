"""SM2 signatures with SM3 (国密 SM2-with-SM3, GB/T 32918 / GM/T 0009) via ``gmssl``.

Keys are hex strings as ``gmssl`` uses them: the private key is 64 hex digits, the
public key 128 hex digits ``x‖y`` (no ``04`` prefix). Signing first hashes
``Z = SM3(ENTL‖ID‖a‖b‖xG‖yG‖xA‖yA)`` with the default ID ``1234567812345678``, then
signs ``SM3(Z‖M)``; signatures are DER ``SEQUENCE{r, s}``. The per-signature nonce comes
from :mod:`secrets` (``gmssl``'s own default uses :mod:`random`, which is not fit for
keys). Pure Python: a few milliseconds per operation; thread-safe.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes
from gmssl import sm2 as _gm

from modules.seals.crypto import der

OID_SM2_SIGN_WITH_SM3 = "1.2.156.10197.1.501"
OID_SM3 = "1.2.156.10197.1.401"
OID_SM2_CURVE = "1.2.156.10197.1.301"
OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"

_N = int(_gm.default_ecc_table["n"], 16)


def sm3(data: bytes) -> bytes:
    """SM3 digest (32 bytes)."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def generate_keypair() -> tuple[str, str]:
    """A new SM2 key pair ``(private_hex, public_hex)``."""
    d = secrets.randbelow(_N - 2) + 1
    private_hex = f"{d:064x}"
    crypt = _gm.CryptSM2(private_key=private_hex, public_key="00" * 64)
    public_hex = crypt._kg(d, _gm.default_ecc_table["g"])
    return private_hex, public_hex


def public_key_from_point(point: bytes) -> str:
    """``04‖x‖y`` (uncompressed point, as in a certificate) → gmssl public hex."""
    if len(point) != 65 or point[0] != 4:
        raise der.DerError("not an uncompressed SM2 point")
    return point[1:].hex()


def point_from_public_key(public_hex: str) -> bytes:
    return b"\x04" + bytes.fromhex(public_hex)


def sign(private_hex: str, public_hex: str, data: bytes) -> bytes:
    """SM2-with-SM3 signature of ``data`` (DER ``SEQUENCE{r, s}``)."""
    crypt = _gm.CryptSM2(private_key=private_hex, public_key=public_hex)
    while True:
        k = f"{secrets.randbelow(_N - 1) + 1:064x}"
        rs = crypt.sign_with_sm3(data, k)
        if rs:  # None for the rare nonce that gives r = 0 or s = 0
            r, s = int(rs[:64], 16), int(rs[64:], 16)
            return der.sequence(der.integer(r), der.integer(s))


def verify(public_hex: str, signature: bytes, data: bytes) -> bool:
    """Check an SM2-with-SM3 signature; False for a wrong or malformed one."""
    try:
        seq = der.read_one(signature)
        r, s = (n.as_int() for n in seq.children())
    except (der.DerError, ValueError):
        return False
    if not (0 < r < _N and 0 < s < _N):
        return False
    crypt = _gm.CryptSM2(private_key="00" * 32, public_key=public_hex)
    try:
        return bool(crypt.verify_with_sm3(f"{r:064x}{s:064x}", data))
    except (ValueError, TypeError):
        return False
