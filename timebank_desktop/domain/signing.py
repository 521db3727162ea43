"""Ed25519 keys for centres and the district: generate, serialise, sign, verify, fingerprint.

Each centre and the district hold one key pair. The private key is 32 raw bytes, stored as hex
(or base64) like a password; the public key is 32 raw bytes, shared in enrolment and
district-configuration files. A *fingerprint* is what staff print on paper and compare by hand:
the first 20 bytes of SHA-256(raw public key) as ten groups of four upper-case hex digits, e.g.
``3F2A 9C01 …``. Keys are wrapped in small value classes so callers never handle the
`cryptography` objects and a private key never shows in a log or traceback.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.i18n import _

KEY_BYTES = 32
SIGNATURE_BYTES = 64
FINGERPRINT_BYTES = 20
_FINGERPRINT_RE = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){9}$")


def _raw_from_text(text: str, what: str) -> bytes:
    """32 raw bytes from 64 hex digits or standard base64 (surrounding spaces ignored)."""
    value = text.strip()
    raw: bytes | None = None
    if re.fullmatch(r"[0-9A-Fa-f]{64}", value):
        raw = bytes.fromhex(value)
    else:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != KEY_BYTES:
        raise ValidationError.single(
            "key.format", _("The {what} must be 64 hex digits or base64").format(what=what)
        )
    return raw


def fingerprint_of(raw_public_key: bytes) -> str:
    """``XXXX XXXX … XXXX`` (10 groups): the first 20 bytes of SHA-256 of the raw key."""
    digits = hashlib.sha256(raw_public_key).hexdigest()[: FINGERPRINT_BYTES * 2].upper()
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed by hand (any case, spaces or dashes) in the canonical form."""
    digits = re.sub(r"[\s\-:]", "", text).upper()
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def is_fingerprint(text: str) -> bool:
    """Whether ``text`` is a fingerprint in the canonical form."""
    return bool(_FINGERPRINT_RE.fullmatch(text))


@dataclass(frozen=True, slots=True)
class PublicKey:
    """An Ed25519 public key (32 raw bytes)."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_BYTES:
            raise ValidationError.single("key.length", _("A public key must be 32 bytes"))

    @classmethod
    def from_text(cls, text: str) -> PublicKey:
        """Parse 64 hex digits or base64."""
        return cls(_raw_from_text(text, _("public key")))

    def hex(self) -> str:
        return self.raw.hex()

    def base64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.raw)

    def verify(self, data: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature over ``data``."""
        if len(signature) != SIGNATURE_BYTES:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True, slots=True)
class PrivateKey:
    """An Ed25519 private key (the 32-byte seed). Its repr never shows the secret."""

    raw: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_BYTES:
            raise ValidationError.single("key.length", _("A private key must be 32 bytes"))

    @classmethod
    def generate(cls) -> PrivateKey:
        """A fresh key from the operating system's random source."""
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption())
        return cls(raw)

    @classmethod
    def from_text(cls, text: str) -> PrivateKey:
        """Parse 64 hex digits or base64."""
        return cls(_raw_from_text(text, _("private key")))

    def hex(self) -> str:
        return self.raw.hex()

    def base64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.raw)

    def public_key(self) -> PublicKey:
        public = self._key().public_key()
        return PublicKey(public.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw))

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature over ``data`` (deterministic)."""
        return self._key().sign(data)


def generate_key_pair() -> tuple[PrivateKey, PublicKey]:
    """A new key pair for a centre or the district."""
    private = PrivateKey.generate()
    return private, private.public_key()
