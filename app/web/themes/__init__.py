"""Search-as-you-type over the technology themes."""

from .views import bp

__all__ = ["bp"]
