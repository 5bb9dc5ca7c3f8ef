"""Invitations: setting a password from an e-mailed link (an invitation or a reset), and, for
counsellors and admins, inviting the students of a class or a school by e-mail or with a
printed sheet of one-time codes."""

from . import sending  # noqa: F401  (registers its pages on bp)
from .views import bp

__all__ = ["bp"]
