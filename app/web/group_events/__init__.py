"""Group events: the coordinator assigns school groups to host companies and publishes it;"""

from .views import bp

__all__ = ["bp"]
