"""Signed-in users for service tests that call the services directly (no accounts rows needed).

The services take the acting ``User`` as an argument and check its role, so
one of each role, with fixed ids, is all those tests need.
"""
from __future__ import annotations

from tawthiq.domain.access import Role, User

ADMIN = User(id=1, username="admin", role=Role.ADMIN)
REVIEWER = User(id=2, username="rana", role=Role.REVIEWER)
DOCUMENTER = User(id=3, username="amal", role=Role.DOCUMENTER)
VIEWER = User(id=4, username="vera", role=Role.VIEWER)
