"""The second factor: setting it up, giving a code after the password, the account page,
and an admin's reset; until the code is given, no other page opens (``guard``)."""

from .views import bp

__all__ = ["bp"]
