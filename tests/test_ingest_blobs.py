"""The content-addressed store of originals."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tawthiq.ingest.errors import IngestError
from tawthiq.store.vault.blobs import BlobStore, sha256_file


def test_put_stores_bytes_under_their_sha256_read_only(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "originals")
    data = "تقرير عن قصف دوما\r\n".encode("utf-16") + b"\x00\xff"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    path = store.path(sha)
    assert path == tmp_path / "originals" / "sha256" / sha[:2] / sha[2:4] / sha
    assert path.read_bytes() == data and store.get(sha) == data and store.exists(sha)
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
def test_digest_equals_sha256sum(tmp_path: Path) -> None:
    sample = tmp_path / "report.bin"
    sample.write_bytes(os.urandom(3 * 1024 * 1024 + 17))  # more than one hashing chunk
    expected = subprocess.run(["sha256sum", str(sample)], capture_output=True, text=True, check=True).stdout.split()[0]
    store = BlobStore(tmp_path / "store")
    assert sha256_file(sample) == expected
    assert store.put_file(sample) == expected
    assert store.put(sample.read_bytes()) == expected
    assert store.get(expected) == sample.read_bytes()


def test_putting_the_same_bytes_again_changes_nothing(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"report")
    before = store.path(sha).stat()
    assert store.put(b"report") == sha
    after = store.path(sha).stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert list(store.iter_shas()) == [sha]


def test_a_damaged_copy_is_replaced_by_the_intact_bytes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"original bytes")
    path = store.path(sha)
    path.chmod(0o600)
    path.write_bytes(b"half-writ")
    assert not store.verify(sha)
    store.put(b"original bytes")
    assert store.verify(sha) and path.read_bytes() == b"original bytes"


def test_no_temp_files_are_left_behind_and_temp_names_are_never_blobs(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    shas = {store.put(str(i).encode()) for i in range(20)}
    # What a kill -9 in the middle of a write leaves: a temp file beside the blobs.
    (store.path(next(iter(shas))).parent / ".tmp-crashed").write_bytes(b"partial")
    assert set(store.iter_shas()) == shas
    assert all(store.verify(sha) for sha in store.iter_shas())
    leftovers = [p for p in tmp_path.rglob(".tmp-*") if p.name != ".tmp-crashed"]
    assert leftovers == []


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ab", "Z" * 64, "A" * 64])
def test_names_that_are_not_sha256_digests_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(IngestError):
        BlobStore(tmp_path).path(bad)


def test_get_of_an_unknown_digest_is_a_key_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        BlobStore(tmp_path).get("0" * 64)


_PUT_FROM_STDIN = """
import sys
from pathlib import Path
from tawthiq.store.vault.blobs import BlobStore
print(BlobStore(Path(sys.argv[1])).put_file(Path("/dev/stdin")), flush=True)
"""


def test_a_write_killed_part_way_leaves_no_file_under_a_sha_name(tmp_path: Path) -> None:
    """kill -9 while put_file is copying: the store holds only a .tmp- file, which is never taken for a blob.

    The child reads from a pipe this test feeds, so it is provably in the middle of the copy when killed.
    """
    import signal
    import sys
    import time

    store = BlobStore(tmp_path / "store")
    child = subprocess.Popen([sys.executable, "-c", _PUT_FROM_STDIN, str(store.root)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    assert child.stdin is not None
    block = os.urandom(1024 * 1024)
    for _ in range(4):
        child.stdin.write(block)
    child.stdin.flush()
    deadline = time.monotonic() + 30
    temps: list[Path] = []
    while time.monotonic() < deadline:
        temps = [p for p in store.root.rglob(".tmp-*") if p.stat().st_size >= 2 * len(block)]
        if temps:
            break
        time.sleep(0.01)
    assert temps, "the child never started copying"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdin.close()
    assert child.returncode == -signal.SIGKILL
    assert list(store.iter_shas()) == []
    assert [p for p in store.root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-")] == []
    assert all(not store.exists(hashlib.sha256(block * n).hexdigest()) for n in range(1, 5))


def test_a_failure_during_the_copy_removes_the_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk filling up at fsync (raised inside the copy) stores nothing and leaves nothing."""
    import errno

    sample = tmp_path / "report.bin"
    sample.write_bytes(os.urandom(2 * 1024 * 1024 + 5))
    store = BlobStore(tmp_path / "store")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        store.put_file(sample)
    monkeypatch.undo()
    assert [p for p in store.root.rglob("*") if p.is_file()] == []
    assert store.put_file(sample) == sha256_file(sample) and store.verify(sha256_file(sample))


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
@pytest.mark.parametrize("size", [0, 1024 * 1024, 8 * 1024 * 1024 + 1])
def test_chunk_boundaries_hash_like_sha256sum(tmp_path: Path, size: int) -> None:
    sample = tmp_path / "edge.bin"
    sample.write_bytes(os.urandom(size))
    expected = subprocess.run(["sha256sum", str(sample)], capture_output=True, text=True, check=True).stdout.split()[0]
    store = BlobStore(tmp_path / "store")
    assert store.put_file(sample) == expected == sha256_file(sample)
    assert store.path(expected).read_bytes() == sample.read_bytes()
