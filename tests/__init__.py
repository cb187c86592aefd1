"""CCR test suite."""
