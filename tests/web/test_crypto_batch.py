"""A batch seals exactly as the one-value functions do: what it encrypts decrypts, its hashes are keyed_hash's."""

import pytest

from kawal.web import crypto


def test_batch_output_reads_back_and_hashes_like_keyed_hash():
    batch = crypto.Batch(4)
    tokens = [batch.encrypt("3671010101900001"), batch.encrypt("3671010101900001")]
    assert [crypto.decrypt(t) for t in tokens] == ["3671010101900001"] * 2
    assert tokens[0] != tokens[1]  # a fresh nonce for every value
    assert batch.keyed_hash("3671010101900001") == crypto.keyed_hash("3671010101900001")
    assert crypto.under_current_key(tokens[0])


def test_empty_values_stay_empty_and_use_no_nonce():
    batch = crypto.Batch(1)
    assert batch.encrypt("") == "" and batch.encrypt(None) == "" and batch.keyed_hash(None) == ""
    assert crypto.decrypt(batch.encrypt("1")) == "1"


def test_a_full_batch_refuses_rather_than_reuse_a_nonce():
    batch = crypto.Batch(1)
    batch.encrypt("a")
    with pytest.raises(ValueError):
        batch.encrypt("b")
