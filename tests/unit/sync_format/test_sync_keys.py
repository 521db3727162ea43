"""Signing keys, fingerprints and member pseudonyms."""

from __future__ import annotations

import pytest

from tests.unit.sync_format.sync_factories import TEST_CENTRE_KEY, TEST_SECRET
from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.domain.memberkey import (
    DistrictSecret,
    is_member_key,
    member_key,
    open_secret,
    seal_secret,
)
from timebank_desktop.domain.signing import (
    PrivateKey,
    PublicKey,
    generate_key_pair,
    is_fingerprint,
    normalise_fingerprint,
)


def test_rfc8032_vector_1() -> None:
    public = TEST_CENTRE_KEY.public_key()
    assert public.hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    signature = TEST_CENTRE_KEY.sign(b"")
    assert signature.hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


def test_sign_and_verify() -> None:
    private, public = generate_key_pair()
    signature = private.sign(b"manifest")
    assert public.verify(b"manifest", signature)
    assert not public.verify(b"manifesT", signature)
    assert not public.verify(b"manifest", signature[:-1])
    assert not TEST_CENTRE_KEY.public_key().verify(b"manifest", signature)


def test_serialisation_round_trips_in_hex_and_base64() -> None:
    private, public = generate_key_pair()
    assert PrivateKey.from_text(private.hex()) == private
    assert PrivateKey.from_text(f"  {private.base64()}\n") == private
    assert PublicKey.from_text(public.hex().upper()) == public
    assert PublicKey.from_text(public.base64()) == public
    with pytest.raises(ValidationError):
        PublicKey.from_text("abc")
    with pytest.raises(ValidationError):
        PrivateKey.from_text("00" * 31)


def test_private_material_never_in_repr() -> None:
    assert TEST_CENTRE_KEY.hex() not in repr(TEST_CENTRE_KEY)
    assert TEST_SECRET.hex() not in repr(TEST_SECRET)


def test_fingerprint_is_ten_groups_and_typed_forms_normalise() -> None:
    fingerprint = TEST_CENTRE_KEY.public_key().fingerprint
    assert fingerprint == "21FE 31DF A154 A261 626B F854 046F D227 1B7B ED4B"
    assert is_fingerprint(fingerprint)
    typed = fingerprint.lower().replace(" ", "-")
    assert normalise_fingerprint(typed) == fingerprint


def test_member_key_is_hmac_of_normalised_id() -> None:
    key = member_key(TEST_SECRET, "11010519491231002X")
    assert is_member_key(key)
    assert member_key(TEST_SECRET, "１１０１０５１９４９１２３１００２x") == key  # full width, x
    assert member_key(TEST_SECRET, " 110105 19491231 002X ") == key
    assert member_key(DistrictSecret(bytes(32)), "11010519491231002X") != key


def test_fifteen_digit_numbers_give_the_eighteen_digit_key() -> None:
    assert member_key(TEST_SECRET, "110105491231002") == member_key(
        TEST_SECRET, "11010519491231002X"
    )


def test_member_key_refuses_non_id_text() -> None:
    with pytest.raises(ValidationError):
        member_key(TEST_SECRET, "张三")


def test_secret_generation_and_hex() -> None:
    first, second = DistrictSecret.generate(), DistrictSecret.generate()
    assert first != second
    assert DistrictSecret.from_hex(first.hex()) == first
    with pytest.raises(ValidationError):
        DistrictSecret.from_hex("12")


def test_sealed_secret_opens_only_with_the_passphrase() -> None:
    sealed = seal_secret(TEST_SECRET, "correct horse")
    assert TEST_SECRET.hex() not in str(sealed)
    assert open_secret(sealed, "correct horse") == TEST_SECRET
    with pytest.raises(ValidationError):
        open_secret(sealed, "wrong horse!")
    damaged = {**sealed, "ciphertext": "00" + sealed["ciphertext"][2:]}
    with pytest.raises(ValidationError):
        open_secret(damaged, "correct horse")
    with pytest.raises(ValidationError):
        seal_secret(TEST_SECRET, "short")
