from __future__ import annotations

import pytest

from tests.conftest import TestDatabase
from tests.pages.scenario import Site, build_site


@pytest.fixture
def site(db: TestDatabase) -> Site:
    return build_site(db)
