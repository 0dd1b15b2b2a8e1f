"""Persistence: SQLite by default, PostgreSQL for teams; one code path for both.

``db`` opens a database and migrates it, ``repository`` is the API the rest
of the application calls, ``dialect`` holds every engine difference.
Incidents are selected in one place: ``conditions`` turns the one filter
(``domain.filters.IncidentFilter``) into WHERE terms, which ``queries``
(lists, facets, exports) and ``statistics`` (the figures' queries) share.
"""
