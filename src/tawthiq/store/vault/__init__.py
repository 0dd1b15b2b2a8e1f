"""The evidence vault on disk: originals and working copies, and the custody ledger's hashing rules.

It sits on the store's floor because everything above it (ingest, integrity
checks, packages, the web app) reads and writes evidence through it, and it
needs nothing above the store.
"""
