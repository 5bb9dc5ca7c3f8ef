"""Students find and choose placements: "Voor jou", the search, "Ik heb interesse"."""

from .views import bp

__all__ = ["bp"]
