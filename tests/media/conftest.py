"""The organiser cast and logged-in clients of tests/organiser, for the picture tests."""

from tests.organiser.conftest import as_user, cast  # noqa: F401  (fixtures)
