"""Readers for other systems' data exports imported as coded records (not re-extracted): ACLED."""
