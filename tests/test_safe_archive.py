"""Hostile ZIP archives are refused with one line naming the member; good ones read and unpack."""

from __future__ import annotations

import io
import stat
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from tawthiq.ingest.errors import IngestError
from tawthiq.ingest.safe_archive import DEFAULT_LIMITS, ArchiveLimits, open_zip

MiB = 1024 * 1024


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore")  # zipfile warns on the duplicate names some tests need
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_with_info(info: zipfile.ZipInfo, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, data)
    return buffer.getvalue()


def _unix_info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def _patch_headers(data: bytes, *, central_offset: int, local_offset: int, value: bytes) -> bytes:
    """Overwrite a field in every local and central header (both, so the two agree)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)):
        start = out.find(signature)
        while start != -1:
            out[start + offset : start + offset + len(value)] = value
            start = out.find(signature, start + 4)
    return bytes(out)


def _refused(source: bytes | Path, match: str, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(IngestError, match=match) as caught:
        with open_zip(source, limits=limits) as archive:
            for name in archive.names():
                archive.read(name)
    assert "\n" not in caught.value.message
    return caught.value.message


def test_reads_names_and_bytes_from_bytes_and_from_a_path(tmp_path: Path) -> None:
    data = _zip({"datapackage.json": b"{}", "archive/data.warc.gz": b"W" * 5000, "archive/": b""})
    path = tmp_path / "a.wacz"
    path.write_bytes(data)
    for source in (data, path):
        with open_zip(source) as archive:
            assert archive.names() == ["datapackage.json", "archive/data.warc.gz"]
            assert archive.read("archive/data.warc.gz") == b"W" * 5000
            assert "datapackage.json" in archive
            assert [m.size for m in archive.members()] == [2, 5000]


def test_extract_to_writes_into_a_fresh_folder(tmp_path: Path) -> None:
    data = _zip({"result.json": "{\"name\": \"قناة\"}".encode(), "photos/1.jpg": b"\xff\xd8jpeg", "photos/2.jpg": b"x"})
    target = tmp_path / "export"
    with open_zip(data) as archive:
        written = archive.extract_to(target)
    assert sorted(p.relative_to(target).as_posix() for p in written) == ["photos/1.jpg", "photos/2.jpg", "result.json"]
    assert (target / "photos" / "1.jpg").read_bytes() == b"\xff\xd8jpeg"
    assert [p.name for p in tmp_path.iterdir()] == ["export"]  # no staging folder left


def test_extract_to_refuses_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "export").mkdir()
    with open_zip(_zip({"a.txt": b"a"})) as archive, pytest.raises(IngestError, match="already exists"):
        archive.extract_to(tmp_path / "export")


def test_extract_to_leaves_nothing_when_a_member_fails_halfway(tmp_path: Path) -> None:
    good = _zip({"a.txt": b"fine", "b.bin": b"\0" * 200_000})
    # b.bin's size field says 100 bytes; it only shows when inflating.
    lying = _lie_about_size(good, member_index=1, size=100)
    with open_zip(lying) as archive, pytest.raises(IngestError, match="'b.bin'"):
        archive.extract_to(tmp_path / "export")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/evil.dll", "absolute path"),
        ("../evil.txt", r"'\.\.' path component"),
        ("photos/../../evil.txt", r"'\.\.' path component"),
        ("photos//x.jpg", "empty"),
        ("..\\evil.txt", "backslash"),
        ("photos\\x.jpg", "backslash"),
        ("a\nb.txt", "control character"),
        ("a\x1bb.txt", "control character"),
    ],
)
def test_unsafe_member_names_are_refused(name: str, match: str) -> None:
    message = _refused(_zip({"ok.txt": b"ok", name: b"x"}), match)
    assert "archive member" in message


def test_a_nul_in_a_member_name_is_refused() -> None:
    # zipfile cannot write a NUL (it cuts the name there), so put one in the bytes.
    data = _zip({"aXb.txt": b"x"}).replace(b"aXb.txt", b"a\x00b.txt")
    _refused(data, "NUL or control character")


def test_a_symlink_member_is_refused() -> None:
    data = _zip_with_info(_unix_info("link", stat.S_IFLNK | 0o777), b"/etc/passwd")
    assert "'link' is a symlink" in _refused(data, "symlink")


@pytest.mark.parametrize("kind", [stat.S_IFIFO, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK])
def test_other_non_regular_members_are_refused(kind: int) -> None:
    _refused(_zip_with_info(_unix_info("dev", kind | 0o644), b""), "'dev' is not a regular file")


def test_a_unix_regular_file_with_permissions_is_accepted() -> None:
    with open_zip(_zip_with_info(_unix_info("a.txt", stat.S_IFREG | 0o644), b"a")) as archive:
        assert archive.read("a.txt") == b"a"


def test_duplicate_names_are_refused_even_by_case() -> None:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")
        archive.writestr("result.json", b"1")
        archive.writestr("result.json", b"2")
    _refused(buffer.getvalue(), "'result.json' is a duplicate")
    _refused(_zip({"Photo.jpg": b"1", "photo.JPG": b"2"}), "duplicate")


def test_a_name_that_is_both_file_and_folder_is_refused() -> None:
    _refused(_zip({"photos": b"1", "photos/1.jpg": b"2"}), "both a file and a folder")


def test_too_many_members_are_refused() -> None:
    data = _zip({f"m{i}.txt": b"x" for i in range(11)})
    _refused(data, "11 members, more than 10", limits=ArchiveLimits(max_members=10))


def test_a_member_over_the_size_limit_is_refused() -> None:
    data = _zip({"small.txt": b"x", "big.bin": bytes(range(256)) * 400})
    _refused(data, "'big.bin' is 102400 bytes, more than 100000", limits=ArchiveLimits(max_member_size=100_000))


def test_a_total_over_the_limit_is_refused() -> None:
    data = _zip({f"part{i}.bin": bytes(range(256)) * 200 for i in range(5)})
    _refused(data, "more than 200000 bytes", limits=ArchiveLimits(max_total_size=200_000))


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_inflating() -> None:
    # 200 MB of zeros deflates to ~200 KB: a 1000:1 member, refused from the header alone.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(8 * MiB)
            for _ in range(25):
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 2 * MiB
    message = _refused(data, "zip bomb")
    assert "'zeros.bin'" in message


def _lie_about_size(data: bytes, *, member_index: int, size: int) -> bytes:
    """Set one member's declared uncompressed size (local and central header) to ``size``."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = -1
        for _ in range(member_index + 1):
            start = out.find(signature, start + 1)
        out[start + offset : start + offset + 4] = struct.pack("<I", size)
    return bytes(out)


def test_a_header_declaring_less_than_the_member_inflates_to_is_caught_while_inflating() -> None:
    # The header says 1,000 bytes (under the ratio floor, so no up-front refusal); it inflates to 8 MiB.
    data = _lie_about_size(_zip({"a.txt": b"a", "bomb.bin": bytes(8 * MiB)}), member_index=1, size=1000)
    with open_zip(data) as archive:
        assert archive.read("a.txt") == b"a"
        with pytest.raises(IngestError, match="'bomb.bin' is corrupt or its header lies"):
            archive.read("bomb.bin")


def test_a_header_declaring_more_than_the_member_holds_is_caught() -> None:
    data = _lie_about_size(_zip({"a.txt": b"abc" * 100}), member_index=0, size=400)
    with open_zip(data) as archive, pytest.raises(IngestError, match="'a.txt' is 300 bytes, its header says 400"):
        archive.read("a.txt")


def test_an_encrypted_member_is_refused() -> None:
    data = _patch_headers(_zip({"secret.txt": b"x"}, compression=zipfile.ZIP_STORED), local_offset=6, central_offset=8, value=b"\x01")
    _refused(data, "'secret.txt' is encrypted")


def test_overlapping_members_are_refused() -> None:
    # Point the second member's central entry at the first member's local header.
    data = bytearray(_zip({"a.bin": b"A" * 1000, "b.bin": b"B" * 1000}, compression=zipfile.ZIP_STORED))
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    data[second + 42 : second + 46] = struct.pack("<I", 0)
    _refused(bytes(data), "overlap")


@pytest.mark.parametrize("data", [b"", b"not a zip at all", _zip({"a": b"a"})[:-10]])
def test_something_that_is_not_a_zip_is_refused(data: bytes) -> None:
    _refused(data, "ZIP")


def test_a_path_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.zip"
    real.write_bytes(_zip({"a": b"a"}))
    (tmp_path / "link.zip").symlink_to(real)
    _refused(tmp_path / "link.zip", "cannot open archive link.zip")


def test_limits_follow_the_configured_file_size() -> None:
    limits = ArchiveLimits.for_max_file_size(50 * MiB)
    assert limits.max_member_size == 50 * MiB
    assert limits.max_total_size == 1000 * MiB
    assert ArchiveLimits.for_max_file_size(MiB).max_total_size == 64 * MiB


def test_reading_a_member_again_does_not_count_twice_against_the_total() -> None:
    data = _zip({"a.warc": bytes(range(256)) * 300})  # 76,800 bytes
    with open_zip(data, limits=ArchiveLimits(max_total_size=100_000)) as archive:
        assert archive.read("a.warc") == archive.read("a.warc")  # e.g. hashed, then parsed
