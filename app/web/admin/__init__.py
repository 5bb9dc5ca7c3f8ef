"""Administration screens: accounts, schools, regions and the admin log. Admins manage
everything; a coordinator the accounts and schools of their own region."""

from . import reference  # noqa: F401  (registers the school and region pages on bp)
from .views import bp

__all__ = ["bp"]
