"""The screenshot of a capture: headless chromium rendering the live page once.

Chromium loads the page itself (a second request, moments after ours), so
the screenshot shows what a browser showed at capture time, scripts run;
the WARC and the original are what the server sent to us. Both are kept
and labelled for what they are.

Chromium runs in a fresh, throw-away profile (no cookies, no history from
another capture), with its own background traffic (updates, sync) switched
off, under a time-out that kills its whole process group. For HTTPS sites
trusted only through ``--ca-file`` or captured with ``--insecure``, chromium
is told to accept exactly the public keys Python saw (by SPKI hash), never
"any certificate".
"""
from __future__ import annotations

import functools
import os
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
WINDOW = (1280, 2000)
_PNG = b"\x89PNG\r\n\x1a\n"


class ScreenshotError(Exception):
    """No screenshot, with one line saying why; the capture goes on without it."""


@dataclass(slots=True)
class Screenshot:
    png: bytes
    chromium_version: str
    params: dict[str, Any] = field(default_factory=dict)


@functools.cache
def chromium_version(chromium: Path) -> str:
    try:
        done = subprocess.run([str(chromium), "--version"], capture_output=True, text=True, timeout=30,
                              check=False, env=_env(Path(tempfile.gettempdir())))
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def take_screenshot(url: str, *, chromium: Path, timeout: float, trusted_spki: list[str]) -> Screenshot:
    """A PNG of ``url`` as chromium renders it in a 1280×2000 window."""
    if not chromium.is_file() or not os.access(chromium, os.X_OK):
        raise ScreenshotError(f"no screenshot: chromium not found at {chromium}")
    with tempfile.TemporaryDirectory(prefix="tawthiq-chromium-") as temp:
        work = Path(temp)
        out = work / "screenshot.png"
        args = [
            str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={out}", f"--user-data-dir={work / 'profile'}",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
            "--mute-audio",
        ]
        if trusted_spki:
            args.append(f"--ignore-certificate-errors-spki-list={','.join(trusted_spki)}")
        args.append(url)
        _run(args, timeout=timeout, home=work)
        try:
            png = out.read_bytes()
        except OSError:
            raise ScreenshotError("no screenshot: chromium wrote no image (the page may not have loaded)") from None
    if not png.startswith(_PNG):
        raise ScreenshotError("no screenshot: chromium wrote something that is not a PNG")
    return Screenshot(png=png, chromium_version=chromium_version(chromium), params={
        "window": f"{WINDOW[0]}x{WINDOW[1]}", "headless": True, "fresh_profile": True,
        "trusted_spki_sha256": list(trusted_spki), "user_agent": "chromium's own",
    })


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(home)}


def _run(args: list[str], *, timeout: float, home: Path) -> None:
    # Its own session, so a time-out kills the wrapper script and every chromium process it started.
    try:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   stdin=subprocess.DEVNULL, start_new_session=True, env=_env(home), cwd=home)
    except OSError as error:
        raise ScreenshotError(f"no screenshot: cannot start chromium ({error.strerror or error})") from None
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise ScreenshotError(f"no screenshot: chromium did not finish within {timeout:g}s") from None
    finally:
        _kill(process)  # headless chromium can leave helpers behind after the browser exits


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
