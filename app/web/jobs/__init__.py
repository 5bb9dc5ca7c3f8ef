"""Following a background job: its progress page and the JSON the page polls."""

from .views import bp

__all__ = ["bp"]
