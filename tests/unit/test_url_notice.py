"""A rejected link value is repeated only as short inline code."""

from __future__ import annotations

import pytest

from dashboard.core.urls import SHOWN_LIMIT, shown


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("ns_proteinuria=abc", "`ns_proteinuria=abc`"),
        ("a=<script>alert(1)</script>", "`a=<script>alert(1)</script>`"),
        ("a=[Log in](https://evil.example)", "`a=[Log in](https://evil.example)`"),
        ("a=`x` **bold**", "`a= x **bold**`"),
        ("a=line\nbreak\ttab", "`a=line break tab`"),
        ("a=\u202eevil\u200b", "`a=evil`"),  # bidi override, zero-width space
        ("a=\x00\x1b[31m", "`a=[31m`"),
        ("a=", "`a=`"),
        ("", "`(empty)`"),
        ("a=💊é", "`a=💊é`"),
    ],
)
def test_shown(item: str, expected: str) -> None:
    assert shown(item) == expected


def test_a_long_value_is_cut() -> None:
    text = shown("mech_lane=" + "x" * 10_000)
    assert len(text) == SHOWN_LIMIT + 2  # the two backticks
    assert text.startswith("`mech_lane=xxx")
    assert text.endswith("…`")


def test_the_code_span_cannot_be_closed_early() -> None:
    text = shown("k=```[link](https://evil.example)``` `")
    assert text.count("`") == 2
    assert text[0] == text[-1] == "`"
