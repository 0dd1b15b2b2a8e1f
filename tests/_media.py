"""Media made in the tests (never committed binaries): photos with EXIF, tiny videos and audio."""
from __future__ import annotations

import io
from datetime import datetime

import av
import numpy as np
from PIL import ExifTags, Image


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A smooth random scene: like a photo, distinct perceptual hashes for distinct seeds."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize(size, Image.Resampling.BICUBIC)
    noise = rng.integers(-12, 13, size=(size[1], size[0], 3))
    return Image.fromarray(np.clip(np.asarray(image, dtype=np.int16) + noise, 0, 255).astype(np.uint8), "RGB")


def exif(*, make: str = "Canon", model: str = "EOS 80D", software: str = "Firmware 1.0",
         taken: datetime | None = None, offset: str | None = None,
         gps: tuple[str, tuple[float, float, float], str, tuple[float, float, float]] | None = None,
         orientation: int | None = None) -> Image.Exif:
    data = Image.Exif()
    data[ExifTags.Base.Make] = make
    data[ExifTags.Base.Model] = model
    data[ExifTags.Base.Software] = software
    if orientation is not None:
        data[ExifTags.Base.Orientation] = orientation
    sub = data.get_ifd(ExifTags.IFD.Exif)
    if taken is not None:
        sub[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if offset is not None:
        sub[ExifTags.Base.OffsetTimeOriginal] = offset
    if gps is not None:
        lat_ref, lat, lon_ref, lon = gps
        place = data.get_ifd(ExifTags.IFD.GPSInfo)
        place[ExifTags.GPS.GPSLatitudeRef] = lat_ref
        place[ExifTags.GPS.GPSLatitude] = lat
        place[ExifTags.GPS.GPSLongitudeRef] = lon_ref
        place[ExifTags.GPS.GPSLongitude] = lon
    return data


def jpeg(image: Image.Image, *, quality: int = 90, exif_data: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    if exif_data is None:
        image.save(out, "JPEG", quality=quality)
    else:
        image.save(out, "JPEG", quality=quality, exif=exif_data)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def whatsapp(data: bytes) -> bytes:
    """What a messenger does to a photo: downscaled, re-encoded at low quality, metadata gone."""
    image = Image.open(io.BytesIO(data))
    image.thumbnail((320, 320))
    return jpeg(image.convert("RGB"), quality=30)


def video(frames: list[Image.Image], *, fps: int = 10, codec: str = "mpeg4", container: str = "mp4",
          tags: dict[str, str] | None = None, gop: int = 10, options: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format=container, options=options or {}) as muxer:
        stream = muxer.add_stream(codec, rate=fps)
        stream.width, stream.height = frames[0].size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.gop_size = gop
        for key, value in (tags or {}).items():
            muxer.metadata[key] = value
        for index, image in enumerate(frames):
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            for packet in stream.encode(frame):
                muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)
    return out.getvalue()


def audio(*, seconds: float = 1.0, rate: int = 8000, codec: str = "pcm_s16le", container: str = "wav",
          tags: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format=container) as muxer:
        stream = muxer.add_stream(codec, rate=rate, layout="mono")
        for key, value in (tags or {}).items():
            muxer.metadata[key] = value
        samples = (np.sin(np.linspace(0, 440 * 2 * np.pi * seconds, int(rate * seconds))) * 8000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        frame.pts = 0
        for packet in stream.encode(frame):
            muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)
    return out.getvalue()
