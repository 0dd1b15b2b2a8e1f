"""Tawthiq: documenting human-rights violations in armed conflict."""
__version__ = "0.1.0"
