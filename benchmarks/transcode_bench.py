"""Time the transcoded working copy of a phone-like video (issue 4: renderable copies).

Makes a grainy 1080p clip (HEVC in MOV when this PyAV can encode HEVC, as
iPhones record, else H.264), then times TranscodeDeriver on it, alternating
with nothing else so the figure is the deriver's own: wall and CPU seconds
and speed relative to real time. Run:

    .venv/bin/python benchmarks/transcode_bench.py --seconds 5 --runs 3
"""
from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from tawthiq.domain import Source, SourceKind
from tawthiq.ingest.media.transcode import TranscodeDeriver


def make_clip(path: Path, *, seconds: int, fps: int = 30) -> str:
    codec = "libx265" if "libx265" in av.codecs_available else "libx264"
    rng = np.random.default_rng(1)
    with av.open(str(path), "w", format="mov") as muxer:
        stream = muxer.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        base = np.linspace(0, 255, 1920, dtype=np.float32)[None, :, None].repeat(1080, 0).repeat(3, 2)
        for index in range(seconds * fps):
            grain = rng.normal(0, 12, (1080, 1920, 3)).astype(np.float32)
            frame = np.clip(np.roll(base, index * 8, axis=1) + grain, 0, 255).astype(np.uint8)
            packet_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
            packet_frame.pts = index
            for packet in stream.encode(packet_frame):
                muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)
    return codec


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "clip.mov"
        codec = make_clip(clip, seconds=args.seconds)
        source = Source(kind=SourceKind.VIDEO, sha256="0" * 64, text="", media_type="video/quicktime",
                        size=clip.stat().st_size)
        deriver = TranscodeDeriver()
        print(f"original: {args.seconds} s 1920x1080 30 fps, {codec}, {clip.stat().st_size / 1e6:.1f} MB; "
              f"load average {os.getloadavg()[0]:.1f}")
        for run in range(args.runs):
            wall, cpu = time.perf_counter(), cpu_seconds()
            seen = []
            # The deriver yields a temporary file and removes it when asked for the next copy: read it now.
            for copy in deriver.derive(clip, source):
                size = copy.path.stat().st_size if copy.path else len(copy.data or b"")
                video = copy.params.get("video") or {}
                seen.append((copy.media_type, video.get("width"), video.get("height"), size))
            wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
            media_type, width, height, size = seen[0]
            print(f"run {run + 1}: {media_type} {width}x{height}, {size / 1e6:.2f} MB, wall {wall:.2f} s, "
                  f"CPU {cpu:.2f} s, {args.seconds / wall:.2f}x real time")

if __name__ == "__main__":
    main()
