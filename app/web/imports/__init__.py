"""Uploading CSV files of regions, schools, students, activities, participations,
observations, companies and placements."""

from .views import bp

__all__ = ["bp"]
