"""Tokens for integrations (Koppelingen): the list, a new token shown once, its use log and
revoking it. For admins (every token) and coordinators (their own and their region's)."""

from .views import bp

__all__ = ["bp"]
