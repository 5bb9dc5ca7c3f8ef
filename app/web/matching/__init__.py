"""The matching page: run a round for a cohort, see its proposals, pin or exclude pairs."""

from .views import bp

__all__ = ["bp"]
