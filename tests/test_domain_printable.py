"""Byte sizes for people: one function for error messages and the upload form."""
from __future__ import annotations

import pytest

from tawthiq.domain.printable import human_size


@pytest.mark.parametrize(
    ("size", "expected", "short"),
    [
        (0, "0 bytes", "0 bytes"),
        (1023, "1023 bytes", "1023 bytes"),
        (1024, "1.0 KB", "1 KB"),
        (1536, "1.5 KB", "1.5 KB"),
        (65536, "64.0 KB", "64 KB"),
        (1024 * 1024 - 1, "1024.0 KB", "1024 KB"),  # rounds up in the unit below, as before
        (1024 * 1024, "1.0 MB", "1 MB"),
        (52428800, "50.0 MB", "50 MB"),
        (3 * 1024**3 + 200 * 1024**2, "3.2 GB", "3.2 GB"),
        (5000 * 1024**3, "5000.0 GB", "5000 GB"),  # GB is the largest unit
    ],
)
def test_human_size(size: int, expected: str, short: str) -> None:
    assert human_size(size) == expected
    assert human_size(size, drop_zero_decimal=True) == short
