"""The fast path for plain dates must give exactly what the EDTF parser gives."""
from __future__ import annotations

import pytest

from tawthiq.domain import edtfrange

PLAIN = [f"{y}" for y in (1, 999, 1999, 2000, 2015, 2016, 9999)] + [
    f"{y}-{m:02d}" for y in (1900, 2015, 2016) for m in range(0, 14)] + [
    f"{y}-{m:02d}-{d:02d}" for y in (2015, 2016, 2100) for m in (1, 2, 4, 12, 13) for d in (0, 1, 28, 29, 30, 31, 32)]


@pytest.mark.parametrize("value", PLAIN + ["0000", "2015-21", "2015-24"])
def test_plain_dates_agree_with_the_parser(value: str) -> None:
    # _bounds is the parser path; an unparseable value is (None, None) on both.
    assert edtfrange.date_range(value) == edtfrange._bounds(value)
