"""Email address syntax: what forms accept, the mailer must be able to write."""

from __future__ import annotations

from email.headerregistry import Address

import pytest

from scheduling.addresses import valid_email


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
