"""The screenshot of a capture: headless chromium rendering the live page once.

Chromium loads the page itself (a second request, moments after ours), so
the screenshot shows what a browser showed at capture time, scripts run;
the WARC and the original are what the server sent to us. Both are kept
and labelled for what they are.

Chromium is driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no port is opened) rather than with its
``--screenshot`` switch, because a page can hold that switch forever with
one ``alert()``: here dialogs are dismissed (and their text recorded), and a
page that never finishes loading is photographed as it stands when the time
is up, and labelled so. Chromium runs in a fresh, throw-away profile, with
its own background traffic (updates, sync) switched off, every connection
made through the address-checking proxy of ``guard_proxy``, and its whole
process group is killed at the end. For HTTPS sites trusted only through
``--ca-file`` or captured with ``--insecure``, chromium is told to accept
exactly the public keys Python saw (by SPKI hash), never "any certificate".
"""
from __future__ import annotations

import base64
import fcntl
import functools
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
WINDOW = (1280, 2000)
_PNG = b"\x89PNG\r\n\x1a\n"
_SETTLE = 0.5  # seconds after the load event, for late layout and web fonts
_MAX_MESSAGE = 64 * 1024 * 1024
_TRAMPOLINE = ("import os, sys; a, b = int(sys.argv[1]), int(sys.argv[2]); os.dup2(a, 3); os.dup2(b, 4);"
               " os.close(a); os.close(b); os.execv(sys.argv[3], sys.argv[3:])")


class ScreenshotError(Exception):
    """No screenshot, with one line saying why; the capture goes on without it."""


@dataclass(slots=True)
class Screenshot:
    png: bytes
    chromium_version: str
    loaded: bool = True  # False: the page had not finished loading when the time was up
    params: dict[str, Any] = field(default_factory=dict)


@functools.cache
def chromium_version(chromium: Path) -> str:
    try:
        done = subprocess.run([str(chromium), "--version"], capture_output=True, text=True, timeout=30,
                              check=False, env={**os.environ, "HOME": tempfile.gettempdir()})
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def take_screenshot(url: str, *, chromium: Path, timeout: float, trusted_spki: list[str], proxy: str) -> Screenshot:
    """A PNG of ``url`` as chromium renders it in a 1280×2000 window, every connection made through ``proxy``."""
    if not chromium.is_file() or not os.access(chromium, os.X_OK):
        raise ScreenshotError(f"no screenshot: chromium not found at {chromium}")
    with tempfile.TemporaryDirectory(prefix="tawthiq-chromium-") as temp:
        work = Path(temp)
        args = [
            str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--user-data-dir={work / 'profile'}",
            "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--mute-audio",
            # The proxy (.guard_proxy) is chromium's only way out, loopback included (chromium otherwise
            # bypasses any proxy for localhost); QUIC and WebRTC's own UDP would go around it.
            f"--proxy-server={proxy}", "--proxy-bypass-list=<-loopback>", "--disable-quic",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp", "about:blank",
        ]
        if trusted_spki:
            args.insert(-1, f"--ignore-certificate-errors-spki-list={','.join(trusted_spki)}")
        try:
            with _Browser(args, home=work, deadline=time.monotonic() + timeout) as browser:
                png, loaded, dialogs = browser.screenshot(url)
        except OSError as error:  # the pipe broke: chromium exited or crashed
            raise ScreenshotError(f"no screenshot: chromium stopped unexpectedly ({error.strerror or error})"
                                  ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as error:  # an answer not shaped as expected
            raise ScreenshotError(f"no screenshot: unexpected answer from chromium ({type(error).__name__})"
                                  ) from None
    if not png.startswith(_PNG):
        raise ScreenshotError("no screenshot: chromium returned something that is not a PNG")
    return Screenshot(png=png, chromium_version=chromium_version(chromium), loaded=loaded, params={
        "window": f"{WINDOW[0]}x{WINDOW[1]}", "headless": True, "fresh_profile": True, "loaded": loaded,
        "dialogs_dismissed": dialogs, "trusted_spki_sha256": list(trusted_spki), "user_agent": "chromium's own",
    })


class _Browser:
    """One chromium process and its DevTools pipe: commands out on fd 3, answers back on fd 4."""

    def __init__(self, args: list[str], *, home: Path, deadline: float) -> None:
        self.deadline = deadline
        self.next_id = 0
        self.buffer = b""
        self.seen: set[str] = set()  # event names received (one page per browser, so no per-session split)
        self.dialogs: list[str] = []
        self.step = "start"  # what chromium was doing, for a time-out message
        to_child, self.to_browser = os.pipe()
        self.from_browser, from_child = os.pipe()
        # The child must see the pipe ends as fds 3 and 4; moved above 10 first so that placing one
        # can never overwrite the other. A tiny Python trampoline places them (dash cannot name fd 10+).
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
        os.close(to_child)
        os.close(from_child)
        trampoline = [sys.executable, "-I", "-c", _TRAMPOLINE, str(high[0]), str(high[1])]
        try:
            # Its own session, so the end kills the wrapper script and every chromium process it started.
            self.process = subprocess.Popen([*trampoline, *args], stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            pass_fds=high, start_new_session=True,
                                            env={**os.environ, "HOME": str(home)}, cwd=home)
        except OSError as error:
            self._close_fds()
            raise ScreenshotError(f"no screenshot: cannot start chromium ({error.strerror or error})") from None
        finally:
            for fd in high:
                os.close(fd)

    def __enter__(self) -> _Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._send("Browser.close", {}, None)
        except (OSError, ScreenshotError):
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # helpers can outlive the browser process
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self._close_fds()

    def _close_fds(self) -> None:
        for fd in (self.to_browser, self.from_browser):
            try:
                os.close(fd)
            except OSError:
                pass

    def screenshot(self, url: str) -> tuple[bytes, bool, list[str]]:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", {}, session)
        self.call("Emulation.setDeviceMetricsOverride", {"width": WINDOW[0], "height": WINDOW[1],
                                                         "deviceScaleFactor": 1, "mobile": False}, session)
        self.seen.clear()  # only events of the page itself count, not of the blank tab before it
        navigated = self.call("Page.navigate", {"url": url}, session)
        if navigated.get("errorText"):
            raise ScreenshotError(f"no screenshot: chromium could not load the page ({navigated['errorText']})")
        # Keep some of the time for the picture itself, so a page that never loads is still shot.
        load_by = self.deadline - max(1.0, (self.deadline - time.monotonic()) * 0.25)
        loaded = self._wait_for("Page.loadEventFired", until=load_by)
        if loaded:
            self._wait_for("", until=min(load_by, time.monotonic() + _SETTLE))
        shot = self.call("Page.captureScreenshot", {"format": "png"}, session)
        try:
            return base64.b64decode(shot["data"], validate=True), loaded, self.dialogs
        except (KeyError, ValueError, TypeError):
            raise ScreenshotError("no screenshot: chromium returned no image") from None

    def _wait_for(self, event: str, *, until: float) -> bool:
        """True when ``event`` came before ``until``; an empty name just lets the time pass, events handled."""
        while True:
            if event and event in self.seen:
                return True
            if time.monotonic() >= until:
                return False
            for message in self._receive(until=until):
                self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        """Note an event; a dialog is dismissed at once, whatever we are waiting for, as it blocks the page."""
        method = message.get("method")
        if not method:
            return  # a reply nobody waits for (the dialog dismissals)
        self.seen.add(str(method))
        if method == "Page.javascriptDialogOpening":
            self.dialogs.append(str(message.get("params", {}).get("message", ""))[:500])
            self._send("Page.handleJavaScriptDialog", {"accept": False}, message.get("sessionId"))

    def call(self, method: str, params: dict[str, Any], session: str | None = None) -> dict[str, Any]:
        self.step = method
        wanted = self._send(method, params, session)
        while True:
            reply: dict[str, Any] | None = None
            # Every message of the batch is handled, including events that came in the same read as the
            # reply (under load chromium sends "Page.loadEventFired" together with the navigation's answer).
            for message in self._receive(until=self.deadline):
                if message.get("id") == wanted:
                    reply = message
                else:
                    self._event(message)
            if reply is not None:
                if "error" in reply:
                    detail = str(reply["error"].get("message", ""))[:200]
                    raise ScreenshotError(f"no screenshot: chromium refused {method} ({detail})")
                return dict(reply.get("result") or {})

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            written = os.write(self.to_browser, data)
            data = data[written:]
        return self.next_id

    def _receive(self, *, until: float) -> list[dict[str, Any]]:
        """Whatever whole messages arrive before ``until`` (at least one, else time is up)."""
        while b"\0" not in self.buffer:
            left = until - time.monotonic()
            if left <= 0:
                if until >= self.deadline:
                    raise ScreenshotError(f"no screenshot: chromium did not finish in time (at {self.step})")
                return []
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise ScreenshotError("no screenshot: chromium stopped unexpectedly")
            self.buffer += chunk
            if len(self.buffer) > _MAX_MESSAGE:
                raise ScreenshotError("no screenshot: chromium sent an oversized message")
        *whole, self.buffer = self.buffer.split(b"\0")
        messages = []
        for raw in whole:
            try:
                messages.append(json.loads(raw))
            except ValueError:
                continue
        return messages
