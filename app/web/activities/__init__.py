"""Activities: tech weeks, Girlsdays, company visits; who takes part and who observes there."""

# The detail and participants modules add their routes to the blueprint of views.
from . import detail, participants  # noqa: F401
from .views import bp

__all__ = ["bp"]
