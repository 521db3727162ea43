"""Member pseudonyms for sync files: HMAC-SHA256(district secret, normalised ID number).

A member leaves a centre only as this key (64 lower-case hex digits), so the district can add up
one person's hours across centres without learning who they are.

**The secret is the whole protection.** The resident ID number space is small enough to
enumerate (a region code, a birth date in a known range, a 3-digit sequence and a check digit:
a few billion candidates, hours of work for a laptop), so anyone holding the secret can turn
every key back into an ID number, and anyone without it cannot. Keep the secret like a
password: it travels only inside the signed district configuration file, sealed with a
passphrase that the district gives each centre by another channel (`seal_secret`); it is never
logged, printed or exported, and its repr hides it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from timebank_desktop.domain import idnumber
from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.i18n import _

SECRET_BYTES = 32
MEMBER_KEY_RE = re.compile(r"^[0-9a-f]{64}$")
SEAL_KDF = "scrypt"
SEAL_CIPHER = "aes-256-gcm"
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_AAD = b"timebank member-key secret v1"


@dataclass(frozen=True, slots=True)
class DistrictSecret:
    """The district's 32-byte member-key secret. Its repr never shows the bytes."""

    raw: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.raw) != SECRET_BYTES:
            raise ValidationError.single(
                "memberkey.secret", _("The member-key secret must be 32 bytes")
            )

    @classmethod
    def generate(cls) -> DistrictSecret:
        """32 bytes from the operating system's random source."""
        return cls(os.urandom(SECRET_BYTES))

    @classmethod
    def from_hex(cls, text: str) -> DistrictSecret:
        value = text.strip()
        if not re.fullmatch(r"[0-9A-Fa-f]{64}", value):
            raise ValidationError.single(
                "memberkey.secret", _("The member-key secret must be 64 hex digits")
            )
        return cls(bytes.fromhex(value))

    def hex(self) -> str:
        return self.raw.hex()


def normalise_id_number(text: str) -> str:
    """The 18-character form used for keys: full-width folded, spaces removed, ``x`` → ``X``.

    A 15-digit number becomes its 18-character form, so both give the same key. The shape is
    checked (17 digits and a digit or X); the check digit is the member service's business.
    """
    value = idnumber.normalise(text)
    if len(value) == 15 and value.isdigit():
        value = idnumber.convert_15(value)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        raise ValidationError.single(
            "memberkey.id_number",
            _("The ID number must be 17 digits followed by a digit or X"),
            "id_number",
        )
    return value


def member_key(secret: DistrictSecret, id_number: str | idnumber.IdNumber) -> str:
    """The member's pseudonym: HMAC-SHA256(secret, normalised ID number) as hex."""
    value = normalise_id_number(str(id_number))
    return hmac.new(secret.raw, value.encode("ascii"), hashlib.sha256).hexdigest()


def is_member_key(text: str) -> bool:
    """Whether ``text`` has the shape of a member key (64 lower-case hex digits)."""
    return bool(MEMBER_KEY_RE.fullmatch(text))


def _kdf(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def seal_secret(secret: DistrictSecret, passphrase: str) -> dict[str, str]:
    """The secret encrypted under a passphrase (scrypt + AES-256-GCM), as JSON-ready fields.

    The district puts this in the signed configuration file and tells the centre the passphrase
    by telephone or on paper; the file alone (a USB stick left in a drawer) does not reveal it.
    """
    if len(passphrase) < 8:
        raise ValidationError.single(
            "memberkey.passphrase",
            _("The passphrase must have at least 8 characters"),
            "passphrase",
        )
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kdf(passphrase, salt)).encrypt(nonce, secret.raw, _AAD)
    return {
        "kdf": SEAL_KDF,
        "cipher": SEAL_CIPHER,
        "salt": salt.hex(),
        "nonce": nonce.hex(),
        "ciphertext": sealed.hex(),
    }


def open_secret(sealed: object, passphrase: str) -> DistrictSecret:
    """The secret from `seal_secret` fields; a wrong passphrase is a `ValidationError`."""
    wrong = ValidationError.single(
        "memberkey.passphrase",
        _("Wrong passphrase, or the sealed secret is damaged"),
        "passphrase",
    )
    if not isinstance(sealed, dict) or (sealed.get("kdf"), sealed.get("cipher")) != (
        SEAL_KDF,
        SEAL_CIPHER,
    ):
        raise wrong
    try:
        salt = bytes.fromhex(str(sealed["salt"]))
        nonce = bytes.fromhex(str(sealed["nonce"]))
        data = bytes.fromhex(str(sealed["ciphertext"]))
        raw = AESGCM(_kdf(passphrase, salt)).decrypt(nonce, data, _AAD)
    except (KeyError, ValueError, InvalidTag):
        raise wrong from None
    return DistrictSecret(raw)
