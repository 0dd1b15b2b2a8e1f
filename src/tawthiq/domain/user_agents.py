"""A browser's User-Agent header in a few words, for an account's sign-in history.

The header is whatever the client sent (untrusted, up to hundreds of characters of legacy
tokens); a person reading their history wants "Firefox 128 · Windows", not the header. What
is not recognised is shown cut short as it came, so an odd client is still noticed.
"""
from __future__ import annotations

import re

MAX_SHOWN = 60
# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"\bOPR/(\d+)")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/(\d+)")),
    ("Chromium", re.compile(r"\bChromium/(\d+)")),
    ("Chrome", re.compile(r"\b(?:HeadlessChrome|Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"\bVersion/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")),
    ("curl", re.compile(r"^curl/(\d+)")),
    ("Python", re.compile(r"^python-(?:httpx|requests)/(\d+)")),
)
_SYSTEMS = (
    ("Android", re.compile(r"\bAndroid\b")),
    ("iOS", re.compile(r"\b(?:iPhone|iPad|iPod)\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
)


def short_user_agent(header: str) -> str:
    """"Firefox 128 · Windows" from a User-Agent header; unknown ones cut to :data:`MAX_SHOWN`
    characters (with "…"); "" for none."""
    text = " ".join(header.split())[:1000]  # one line; a giant header is not searched whole
    if not text:
        return ""
    browser = next((f"{name} {m.group(1)}" for name, pattern in _BROWSERS if (m := pattern.search(text))), "")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(text)), "")
    if browser:
        return f"{browser} · {system}" if system else browser
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"
