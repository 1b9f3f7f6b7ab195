"""Collection endpoints and pages: templates, uploads, status board, review, objections."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
