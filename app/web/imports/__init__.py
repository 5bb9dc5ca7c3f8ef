"""Uploading CSV files of students, activities, participations, observations, companies and"""

from .views import bp

__all__ = ["bp"]
