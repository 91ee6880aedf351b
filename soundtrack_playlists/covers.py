"""Pure-ish: a playlist's cover art drawn from its show, season and episode, as JPEG bytes."""

from __future__ import annotations

import base64
import colorsys
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from soundtrack_playlists.text import fold

SIZE = 640  # pixels a side: Spotify shows covers at up to 640×640
MAX_UPLOAD_BYTES = 256 * 1024  # Spotify's limit counts the base64-encoded payload
JPEG_QUALITY = 88
# Part of every digest: bump it when the drawing changes, so every cover is uploaded again.
DESIGN_VERSION = 1
FONTS = Path(__file__).resolve().parent / "fonts"  # DejaVu Sans; see fonts/LICENSE.md
MARGIN = 48
TEXT = (255, 255, 255)
FontType = ImageFont.FreeTypeFont


@dataclass(frozen=True)
class CoverSpec:
    """Everything a cover shows: the design's inputs. `episode=None` is the season playlist."""

    show: str
    season: int
    episode: int | None = None
    title: str = ""  # the episode's title; unused for the season playlist
    year: int | None = None

    def digest(self) -> str:
        """A short stable mark of these inputs and the design: kept in the state."""
        value = json.dumps({"design": DESIGN_VERSION, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Palette:
    """A show's colours: every playlist of one show shares them, so they look like a set."""

    top: tuple[int, int, int]
    bottom: tuple[int, int, int]
    accent: tuple[int, int, int]
    rings: tuple[int, int, int]


def _rgb(hue: float, saturation: float, value: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return round(red * 255), round(green * 255), round(blue * 255)


def palette_for(show: str) -> Palette:
    """Colours from the show's folded name: the same show always gets the same palette."""
    seed = hashlib.sha256(fold(show).encode("utf-8")).digest()
    hue = seed[0] / 256 + seed[1] / 65536
    return Palette(
        top=_rgb(hue, 0.62, 0.46),
        bottom=_rgb(hue + 0.06, 0.78, 0.16),
        accent=_rgb(hue + 0.5, 0.45, 1.0),  # the opposite hue: labels stand out on the ground
        rings=_rgb(hue, 0.5, 0.40),  # quiet: the title is drawn over them
    )


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = True) -> FontType:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _width(text: str, font: FontType) -> float:
    return font.getlength(text)


def _wrap(text: str, font: FontType, width: int) -> list[str]:
    """Greedy word wrap; a single word wider than the line is cut with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(f"{lines[-1]} {word}", font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(_cut(word, font, width))
    return lines


def _cut(text: str, font: FontType, width: int) -> str:
    if _width(text, font) <= width:
        return text
    while text and _width(text + "…", font) > width:
        text = text[:-1]
    return text + "…"


def fit(
    text: str, *, width: int, lines: int, sizes: range, bold: bool = True
) -> tuple[FontType, list[str]]:
    """The largest size (from `sizes`, largest first) at which `text` wraps into `lines`.

    At the smallest size the text is cut after the last line, ending in an ellipsis.
    """
    font = _font(sizes.start, bold)
    for size in sizes:
        font = _font(size, bold)
        wrapped = _wrap(text, font, width)
        if len(wrapped) <= lines:
            return font, wrapped
    wrapped = _wrap(text, font, width)
    kept = wrapped[:lines]
    kept[-1] = _cut(kept[-1] + "…" if len(wrapped) > lines else kept[-1], font, width)
    return font, kept


def _background(palette: Palette) -> Image.Image:
    """A vertical gradient with the grooves of a record rising from the lower right corner."""
    image = Image.linear_gradient("L").resize((SIZE, SIZE))
    image = Image.composite(
        Image.new("RGB", (SIZE, SIZE), palette.bottom),
        Image.new("RGB", (SIZE, SIZE), palette.top),
        image,
    )
    draw = ImageDraw.Draw(image)
    centre_x, centre_y = SIZE - 40, SIZE + 20
    for radius in range(90, 470, 26):
        box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
        draw.ellipse(box, outline=palette.rings, width=3 if radius % 4 else 2)
    return image


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    top: int,
    lines: list[str],
    font: FontType,
    fill: tuple[int, int, int],
    spacing: float = 1.12,
) -> int:
    """Draws left-aligned lines from `top`; returns the y just below the last one."""
    ascent, descent = font.getmetrics()
    step = round((ascent + descent) * spacing)
    for index, line in enumerate(lines):
        draw.text((MARGIN, top + index * step), line, font=font, fill=fill)
    return top + len(lines) * step


def _draw_bottom_lines(
    draw: ImageDraw.ImageDraw, bottom: int, lines: list[str], font: FontType
) -> None:
    ascent, descent = font.getmetrics()
    step = round((ascent + descent) * 1.08)
    _draw_lines(draw, bottom - len(lines) * step, lines, font, TEXT, spacing=1.08)


def draw_cover(spec: CoverSpec) -> Image.Image:
    """The cover as an image: show name on top, the big number, the title at the bottom."""
    palette = palette_for(spec.show)
    image = _background(palette)
    draw = ImageDraw.Draw(image)
    inner = SIZE - 2 * MARGIN
    show_font, show_lines = fit(spec.show.upper(), width=inner, lines=2, sizes=range(46, 25, -2))
    below_show = _draw_lines(draw, MARGIN - 6, show_lines, show_font, TEXT)
    draw.rectangle((MARGIN, below_show + 10, MARGIN + 72, below_show + 18), fill=palette.accent)
    label_top = below_show + 44
    if spec.episode is None:
        big = f"Season {spec.season}"
        label = "EVERY EPISODE" + (f" · {spec.year}" if spec.year else "")
        title = "Every song, episode by episode"
    else:
        big = f"S{spec.season} · E{spec.episode:02d}"
        label = f"SEASON {spec.season} · EPISODE {spec.episode}"
        title = spec.title or f"Episode {spec.episode}"
    label_font = _font(24, bold=False)
    draw.text((MARGIN, label_top), label, font=label_font, fill=palette.accent)
    big_font, big_lines = fit(big, width=inner, lines=1, sizes=range(112, 47, -4))
    _draw_lines(draw, label_top + 36, big_lines, big_font, TEXT)
    title_font, title_lines = fit(title, width=inner, lines=3, sizes=range(54, 27, -2))
    _draw_bottom_lines(draw, SIZE - MARGIN + 4, title_lines, title_font)
    return image


def encode_jpeg(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    """Baseline JPEG with fixed settings and no metadata: the same image gives the same bytes."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True, subsampling=2)
    return buffer.getvalue()


def render_cover(spec: CoverSpec) -> bytes:
    """The cover as JPEG bytes whose base64 form fits Spotify's 256 KB upload limit."""
    image = draw_cover(spec)
    quality = JPEG_QUALITY
    jpeg = encode_jpeg(image, quality)
    while upload_size(jpeg) > MAX_UPLOAD_BYTES and quality > 40:  # never at this design's size
        quality -= 10
        jpeg = encode_jpeg(image, quality)
    return jpeg


def upload_size(jpeg: bytes) -> int:
    """Bytes Spotify counts against its limit: the base64-encoded image."""
    return len(base64.b64encode(jpeg))
