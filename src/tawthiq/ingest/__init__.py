"""Ingest: report files of every format in, originals kept, sources and suggested incidents stored.

Entry points are in :mod:`.pipeline`; nothing is imported here so that the
CLI starts without loading the HTML and PDF libraries.
"""
