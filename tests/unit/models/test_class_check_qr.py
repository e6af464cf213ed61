"""The join link's QR code: the full address, a regular QR code, a PNG."""

from __future__ import annotations

import segno

from dashboard.models import class_check as model
from dashboard.models import class_check_qr

PAGE = "https://teaching.example.org/class-check"


def test_the_qr_code_encodes_the_full_join_address() -> None:
    url = model.join_address(PAGE, "K7QM2X")
    assert url == "https://teaching.example.org/class-check?join=K7QM2X"
    qr = class_check_qr.join_qr(url)
    assert qr is not None
    assert qr.url == url
    # The modules are exactly those of a regular QR code of that address.
    expected = segno.make(url, error=class_check_qr.QR_ERROR, micro=False)
    assert qr.modules == tuple(tuple(row) for row in expected.matrix)
    assert not expected.is_micro
    other = class_check_qr.join_qr(model.join_address(PAGE, "K7QM2Y"))
    assert other is not None
    assert other.modules != qr.modules


def test_the_qr_code_is_a_png_with_alt_text_naming_the_address() -> None:
    url = model.join_address(PAGE, "K7QM2X")
    qr = class_check_qr.join_qr(url)
    assert qr is not None
    assert qr.png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(qr.png[16:20], "big")  # the IHDR chunk
    side = len(qr.modules) + 8  # four modules of quiet zone on each side
    assert width == side * class_check_qr.QR_SCALE
    assert qr.alt == f"QR code that opens {url}"
    assert class_check_qr.join_qr(url) is qr  # built once per address


def test_no_qr_code_for_an_address_a_phone_could_not_open() -> None:
    assert class_check_qr.join_qr(model.join_address("", "K7QM2X")) is None
    assert class_check_qr.join_qr("/class-check?join=K7QM2X") is None
    assert class_check_qr.join_qr("https://x.example/" + "a" * 5000) is None
