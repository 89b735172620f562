"""Fixtures the booking tests share: a real SMTP server (aiosmtpd) and a config sending to it."""

from tests.booking.test_messages import config, smtp

__all__ = ["config", "smtp"]
