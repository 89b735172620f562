"""Email address syntax: what forms accept, the mailer must be able to write."""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.addresses import EMAIL, valid_email


@pytest.mark.parametrize(
    "address",
    ["kenji@example.jp", "o'brien@school.ie", "ana+intake@uni.example", " padded@example.com "],
)
def test_ordinary_addresses_are_valid_and_fit_a_header(address: str) -> None:
    assert valid_email(address)
    assert Address(addr_spec=address.strip()).addr_spec == address.strip()


@pytest.mark.parametrize(
    "address",
    [
        "aiko-23:00@example.jp",  # a colon: the header parser stops at it
        "a[b]@example.jp",
        'a"b@example.jp',
        "a\\b@example.jp",
        "a(b)@example.jp",  # a comment, not part of the address
        "a..b@example.jp",
        ".a@example.jp",
        "two@at@example.jp",
        "no-domain@example",
        "spaced name@example.jp",
    ],
)
def test_addresses_the_mailer_could_not_write_are_refused(address: str) -> None:
    assert not valid_email(address)


CHARS = "abzAZ09.-_+!#$%&'*/=?^`{|}~ é\"()<>,;:[]\\"


@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet=CHARS, min_size=1, max_size=12),
    st.text(alphabet="abz09.-_é", min_size=1, max_size=8),
    st.sampled_from([".com", ".io", ".c", "..uk", ".co.uk", ""]),
)
def test_the_quick_path_agrees_with_the_header_parser(local: str, domain: str, tld: str) -> None:
    """Plain addresses skip the header parser: its verdict must be the same."""
    address = f"{local}@{domain}{tld}"
    plain = address.strip()
    try:
        parsed = Address(addr_spec=plain).addr_spec == plain
    except (ValueError, IndexError, HeaderParseError):
        parsed = False
    assert valid_email(address) == (bool(EMAIL.match(plain)) and parsed)
