"""Signed checkpoints: keys, the signed layout, and every tampering refused."""

from __future__ import annotations

import hashlib
import json
import stat
import struct
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.chain import GENESIS
from ledger.checkpoints import (
    Checkpoint,
    checkpoint_message,
    read_checkpoint,
    sign_checkpoint,
    verify_checkpoint,
    write_checkpoint,
)
from ledger.errors import CheckpointSignatureError, LedgerError
from ledger.keys import (
    generate_keys,
    key_id,
    keys_exist,
    load_private_key,
    load_public_key,
)

if TYPE_CHECKING:
    from pathlib import Path

HEAD = hashlib.sha256(b"head").digest()


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    directory = tmp_path / "keys"
    generate_keys(directory)
    return directory


@pytest.fixture
def signed_file(tmp_path: Path, keys: Path) -> Path:
    checkpoint, signature = sign_checkpoint(
        load_private_key(keys), 300, HEAD, "2026-01-31T08:00:00Z"
    )
    return write_checkpoint(tmp_path / "cp.json", checkpoint, signature)


def _edit(path: Path, **fields: object) -> None:
    document = json.loads(path.read_text())
    document.update(fields)
    path.write_text(json.dumps(document))


def test_private_key_is_readable_by_its_owner_only(keys: Path) -> None:
    assert stat.S_IMODE((keys / "checkpoint.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert keys_exist(keys)


def test_existing_keys_are_never_overwritten(keys: Path) -> None:
    before = (keys / "checkpoint.key").read_bytes()
    with pytest.raises(LedgerError, match="already exists"):
        generate_keys(keys)
    assert (keys / "checkpoint.key").read_bytes() == before


def test_a_lone_public_key_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "checkpoint.pub").write_text("mine")
    with pytest.raises(LedgerError, match=r"checkpoint\.pub"):
        generate_keys(tmp_path)
    assert not (tmp_path / "checkpoint.key").exists()
    assert not keys_exist(tmp_path)


def test_a_signed_checkpoint_verifies_and_round_trips(
    signed_file: Path, keys: Path
) -> None:
    checkpoint = verify_checkpoint(signed_file, load_public_key(keys))
    assert checkpoint.trusted_head == (300, HEAD)
    assert checkpoint.created_at == "2026-01-31T08:00:00Z"
    assert checkpoint.key_id == key_id(load_public_key(keys / "checkpoint.pub"))


def test_the_signed_message_follows_the_published_layout() -> None:
    checkpoint = Checkpoint(7, HEAD, "2026-01-31T08:00:00Z", "ab" * 32)
    created = b"2026-01-31T08:00:00Z"
    expected = (
        b"\x43\x01"
        + struct.pack(">Q", 7)
        + HEAD
        + bytes.fromhex("ab" * 32)
        + struct.pack(">I", len(created))
        + created
    )
    assert checkpoint_message(checkpoint) == expected


def test_an_empty_ledger_can_be_checkpointed(tmp_path: Path, keys: Path) -> None:
    checkpoint, signature = sign_checkpoint(load_private_key(keys), 0, GENESIS)
    path = write_checkpoint(tmp_path / "empty.json", checkpoint, signature)
    assert verify_checkpoint(path, load_public_key(keys)).trusted_head == (0, GENESIS)


@pytest.mark.parametrize(
    "fields",
    [
        {"position": 299},
        {"position": 301},
        {"head_hash": hashlib.sha256(b"other").hexdigest()},
        {"created_at": "2026-01-31T08:00:01Z"},
    ],
    ids=["position-down", "position-up", "head", "time"],
)
def test_a_tampered_field_is_refused(
    signed_file: Path, keys: Path, fields: dict[str, object]
) -> None:
    _edit(signed_file, **fields)
    with pytest.raises(CheckpointSignatureError, match="signature does not match"):
        verify_checkpoint(signed_file, load_public_key(keys))


@settings(max_examples=40, deadline=None)
@given(bit=st.integers(0, 64 * 8 - 1))
def test_any_flipped_signature_bit_is_refused(
    tmp_path_factory: pytest.TempPathFactory, bit: int
) -> None:
    directory = tmp_path_factory.mktemp("flip")
    generate_keys(directory)
    checkpoint, signature = sign_checkpoint(load_private_key(directory), 5, HEAD)
    flipped = bytearray(signature)
    flipped[bit // 8] ^= 1 << (bit % 8)
    path = write_checkpoint(directory / "cp.json", checkpoint, bytes(flipped))
    with pytest.raises(CheckpointSignatureError):
        verify_checkpoint(path, load_public_key(directory))


def test_a_checkpoint_signed_by_another_key_is_refused(
    signed_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    generate_keys(other)
    with pytest.raises(CheckpointSignatureError, match="signed by key"):
        verify_checkpoint(signed_file, load_public_key(other))


def test_a_key_id_swapped_to_the_verifier_is_still_refused(
    signed_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    generate_keys(other)
    _edit(signed_file, key_id=key_id(load_public_key(other)))
    with pytest.raises(CheckpointSignatureError, match="signature does not match"):
        verify_checkpoint(signed_file, load_public_key(other))


@pytest.mark.parametrize(
    "fields",
    [
        {"version": 2},
        {"head_hash": "abcd"},
        {"position": "300"},
        {"position": True},
        {"extra": 1},
        {"signature": "zz"},
    ],
    ids=["version", "short-head", "text-position", "bool-position", "extra", "hex"],
)
def test_a_malformed_file_is_refused(
    signed_file: Path, keys: Path, fields: dict[str, object]
) -> None:
    _edit(signed_file, **fields)
    with pytest.raises(CheckpointSignatureError, match="unreadable"):
        verify_checkpoint(signed_file, load_public_key(keys))


def test_a_missing_checkpoint_file_is_refused(tmp_path: Path, keys: Path) -> None:
    with pytest.raises(CheckpointSignatureError, match="unreadable"):
        read_checkpoint(tmp_path / "absent.json")


def test_a_checkpoint_file_is_never_overwritten(signed_file: Path, keys: Path) -> None:
    before = signed_file.read_bytes()
    checkpoint, signature = sign_checkpoint(load_private_key(keys), 1, HEAD)
    with pytest.raises(LedgerError, match="already exists"):
        write_checkpoint(signed_file, checkpoint, signature)
    assert signed_file.read_bytes() == before


def test_missing_keys_are_reported_by_path(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match=r"checkpoint\.key"):
        load_private_key(tmp_path)
    with pytest.raises(LedgerError, match=r"checkpoint\.pub"):
        load_public_key(tmp_path)


def test_a_non_ed25519_key_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (tmp_path / "checkpoint.pub").write_bytes(pem)
    with pytest.raises(LedgerError, match="not Ed25519"):
        load_public_key(tmp_path)


@settings(max_examples=30, deadline=None)
@given(
    position=st.integers(0, 2**64 - 1),
    head=st.binary(min_size=32, max_size=32),
    created_at=st.text(max_size=40),
)
def test_any_checkpoint_round_trips_through_its_file(
    tmp_path_factory: pytest.TempPathFactory,
    position: int,
    head: bytes,
    created_at: str,
) -> None:
    directory = tmp_path_factory.mktemp("trip")
    generate_keys(directory)
    signed = sign_checkpoint(load_private_key(directory), position, head, created_at)
    path = write_checkpoint(directory / "cp.json", *signed)
    assert read_checkpoint(path) == signed
    assert verify_checkpoint(path, load_public_key(directory)) == signed[0]


def test_a_position_beyond_u64_cannot_be_signed(keys: Path) -> None:
    with pytest.raises(struct.error):
        sign_checkpoint(load_private_key(keys), 2**64, HEAD)
