"""The monitor: a region's figures as charts, each with its table and a CSV download."""

from .views import bp

__all__ = ["bp"]
