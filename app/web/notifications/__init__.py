"""Everyone's own notifications, and the switch for notification e-mails."""

from .views import bp

__all__ = ["bp"]
