from pathlib import Path

import pytest

SEED_PATH = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
)
SVU = "Law & Order: Special Victims Unit"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()
