"""RFC 3161 timestamps against a local TSA (openssl ts on 127.0.0.1): asked online, checked offline."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from _tsa import LocalTSA, local_tsa
from tawthiq.evidence.timestamp import TimestampError, load_certificates, request_timestamp, verify_timestamp

MESSAGE = b"0123abcd  data/originals/x.txt\n"


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTSA]:
    with local_tsa() as running:
        yield running


def test_token_is_granted_and_verifies_offline_against_the_root(tsa: LocalTSA) -> None:
    stamp = request_timestamp(MESSAGE, url=tsa.url)
    assert stamp.request and stamp.response and stamp.nonce > 0
    check = verify_timestamp(stamp.response, message=MESSAGE, nonce=stamp.nonce,
                             certificates=load_certificates(tsa.ca_pem.read_bytes()))
    assert check.tsa == "CN=Tawthiq Test TSA" and check.gen_time == stamp.gen_time
    # The full chain (TSA certificate then root) works too.
    verify_timestamp(stamp.response, message=MESSAGE, nonce=stamp.nonce,
                     certificates=load_certificates(tsa.chain_pem.read_bytes()))


def test_changed_message_wrong_nonce_or_other_root_fail(tsa: LocalTSA) -> None:
    stamp = request_timestamp(MESSAGE, url=tsa.url)
    root = load_certificates(tsa.ca_pem.read_bytes())
    with pytest.raises(TimestampError, match="Mismatch between messages"):
        verify_timestamp(stamp.response, message=MESSAGE + b"x", nonce=stamp.nonce, certificates=root)
    with pytest.raises(TimestampError, match="Nonce"):
        verify_timestamp(stamp.response, message=MESSAGE, nonce=stamp.nonce + 1, certificates=root)
    with pytest.raises(TimestampError, match="does not verify"):
        verify_timestamp(stamp.response, message=MESSAGE, nonce=stamp.nonce,
                         certificates=load_certificates(tsa.other_ca_pem.read_bytes()))


def test_corrupt_token_is_one_clear_error(tsa: LocalTSA) -> None:
    stamp = request_timestamp(MESSAGE, url=tsa.url)
    broken = bytearray(stamp.response)
    broken[len(broken) // 2] ^= 0xFF
    root = load_certificates(tsa.ca_pem.read_bytes())
    with pytest.raises(TimestampError):
        verify_timestamp(bytes(broken), message=MESSAGE, nonce=stamp.nonce, certificates=root)
    with pytest.raises(TimestampError, match="not an RFC 3161"):
        verify_timestamp(b"junk", message=MESSAGE, nonce=None, certificates=root)


def test_bad_urls_and_unreachable_tsa_are_refused() -> None:
    with pytest.raises(TimestampError, match="http"):
        request_timestamp(MESSAGE, url="file:///etc/passwd")
    with pytest.raises(TimestampError, match="cannot reach"):
        request_timestamp(MESSAGE, url="http://127.0.0.1:9/tsa", timeout=2)
    with pytest.raises(TimestampError, match="PEM"):
        load_certificates(b"not a certificate")
