"""A student's own profile, data export and deletion request, and her Koppelingen."""

from . import apps  # noqa: F401  (its views join the profile blueprint)
from .views import bp

__all__ = ["bp"]
