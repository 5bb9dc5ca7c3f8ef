"""The counsellor's review queue: decide on proposals one by one or by the hundred."""

from .views import bp

__all__ = ["bp"]
