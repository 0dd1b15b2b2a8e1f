"""Capturing a web page as evidence: the HTTP chain, its TLS certificate, a WARC of it, a screenshot.

``services.capture`` drives these and ingests the result; only that command
touches the network.
"""
