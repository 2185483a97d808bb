"""Seal cryptography: SM2/SM3 (:mod:`.sm2`), DER (:mod:`.der`), the GB/T 38540 structures
(:mod:`.ses`), the one signing interface (:mod:`.signer`), the internal seal authority and
key store (:mod:`.authority`) and personal approval signatures (:mod:`.approval_sig`).

Pure: no Qt, no HTTP, no database.
"""
