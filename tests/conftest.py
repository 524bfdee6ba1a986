"""Shared test settings.

``CONVSHAPE_REQUIRE_TORCH=1`` (set by ``.ci/run``) turns a missing torch into a collection
error instead of a skip, so CI can never pass with the differential tests skipped.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
