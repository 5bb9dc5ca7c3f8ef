"""The fairness page: for each matching round, how its proposals and rankings treat girls and"""

from .views import bp

__all__ = ["bp"]
