"""The dashboard sample store and config (built once per session) for the login tests."""

from __future__ import annotations

from tests.dashboard.conftest import sample_paths

__all__ = ["sample_paths"]
