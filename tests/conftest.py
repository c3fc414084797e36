from __future__ import annotations

import sys
from pathlib import Path

import pytest
import trustme

sys.path.insert(0, str(Path(__file__).parent))

from servers import Pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """One private CA for the session (like an organisation's)."""
    return Pki(trustme.CA(organization_name="Test Org private CA"), tmp_path_factory.mktemp("pki"))
