"""Login, logout and account pages/endpoints (owned by the accounts work)."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
