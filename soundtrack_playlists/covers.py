"""Pure-ish: a playlist's cover art drawn from its show, season and episode, as JPEG bytes."""

from __future__ import annotations

import base64
import colorsys
import hashlib
import io
import json
import re
import unicodedata
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
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class CoverSpec:
    """Everything a cover shows: the design's inputs. `episode=None` is the season playlist."""

    show: str
    season: int
    episode: int | None = None
    title: str = ""  # the episode's title; unused for the season playlist
    year: int | None = None
    whole_show: bool = False  # the whole-show playlist: every season

    def digest(self) -> str:
        """A short stable mark of these inputs and the design: kept in the state.

        Text DejaVu cannot draw also marks the fallback fonts found, so a cover drawn before
        a fitting font was there is drawn and uploaded again once it is.
        """
        inputs = asdict(self)
        if not self.whole_show:
            del inputs["whole_show"]  # so the digests of earlier covers stay as they were
        value: dict[str, object] = {"design": DESIGN_VERSION, **inputs}
        if not all(_draws(_primary_path(), 0, char) for char in self.show + self.title):
            value["fallbacks"] = [path.name for path in fallback_font_files()]
        text = json.dumps(value, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
def _font(size: int, bold: bool = True) -> Fonts:
    """The cover's font at `size`, and after it each fallback found for other scripts."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    primary = ImageFont.truetype(str(FONTS / name), size)
    return Fonts((primary, *(_load(path, size) for path in fallback_font_files())))


def _load(path: Path, size: int) -> FontType:
    return ImageFont.truetype(str(path), size, index=0)


@dataclass(frozen=True)
class Fonts:
    """One size of the cover's font and its fallbacks: each character is drawn by the first
    that has it, and a character none has (or an emoji) is left off, never drawn as a box."""

    chain: tuple[FontType, ...]

    @property
    def size(self) -> int:
        return int(self.chain[0].size)

    def getmetrics(self) -> tuple[int, int]:
        return self.chain[0].getmetrics()

    def runs(self, text: str) -> list[tuple[str, FontType]]:
        """`text` as runs of characters that one font draws; what none draws is left out."""
        runs: list[tuple[str, FontType]] = []
        for char in text:
            font = next((f for f in self.chain if _has(f, char)), None)
            if font is None:
                continue
            if runs and runs[-1][1] is font:
                runs[-1] = (runs[-1][0] + char, font)
            else:
                runs.append((char, font))
        return runs

    def getlength(self, text: str) -> float:
        return sum(font.getlength(run) for run, font in self.runs(text))

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, fill: RGB) -> None:
        x, y = xy
        ascent = self.chain[0].getmetrics()[0]
        for run, font in self.runs(text):
            # runs of another font share the first's baseline
            draw.text((x, y + ascent - font.getmetrics()[0]), run, font=font, fill=fill)
            x += round(font.getlength(run))


# Fonts for the scripts DejaVu lacks (CJK first), as systems ship them; the first found of
# each is used. None ships with the package: they are megabytes, and a cover without them
# leaves such text off instead of drawing boxes.
FALLBACK_FONTS = (
    "NotoSansCJK-Bold.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKjp-Bold.otf",
    "NotoSansJP-Bold.otf",
    "NotoSansJP-Bold.ttf",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "Hiragino Sans GB.ttc",
    "PingFang.ttc",
    "Arial Unicode.ttf",
    "YuGothB.ttc",
    "msgothic.ttc",
    "malgunbd.ttf",
    "NotoSans-Bold.ttf",
    "FreeSansBold.ttf",
)
FONT_FOLDERS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/System/Library/Fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)


@lru_cache(maxsize=1)
def fallback_font_files() -> tuple[Path, ...]:
    """The fallback fonts found on this machine, in FALLBACK_FONTS' order."""
    found: dict[str, Path] = {}
    wanted = set(FALLBACK_FONTS)
    for folder in FONT_FOLDERS:
        root = Path(folder).expanduser()
        try:
            for path in sorted(root.rglob("*")) if root.is_dir() else ():
                if path.name in wanted and path.name not in found:
                    found[path.name] = path
        except OSError:  # an unreadable folder: its fonts are not used
            continue
    return tuple(found[name] for name in FALLBACK_FONTS if name in found)


def _has(font: FontType, char: str) -> bool:
    return _draws(Path(str(font.path)), int(getattr(font, "index", 0)), char)


def _primary_path() -> Path:
    return FONTS / "DejaVuSans-Bold.ttf"


def is_emoji(char: str) -> bool:
    """Emoji, their skin tones, joiners and selectors: dropped, as Pillow draws none well."""
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0xE0000 <= code <= 0xE007F or code in _EMOJI_GLUE


_EMOJI_GLUE = frozenset((0x200D, 0xFE0E, 0xFE0F, 0x20E3, 0x2640, 0x2642))


@lru_cache(maxsize=8192)
def _draws(path: Path, index: int, char: str) -> bool:
    """True when the font at `path` has a glyph for `char` (its bitmap is not .notdef's)."""
    if is_emoji(char) or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return False
    if char.isspace():
        return True
    font = _probe(path, index)
    return bytes(font.getmask(char)) != bytes(font.getmask(NOT_A_CHARACTER))


NOT_A_CHARACTER = "\U0010fffd"  # private use, in no font: drawn as the missing-glyph box


@lru_cache(maxsize=16)
def _probe(path: Path, index: int) -> FontType:
    return ImageFont.truetype(str(path), 24, index=index)


def _width(text: str, font: Fonts) -> float:
    return font.getlength(text)


# Runs of these scripts may break between any two characters (no spaces between words).
_WIDE = r"\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_PIECES = re.compile(rf"[{_WIDE}]|[^{_WIDE}]+")


def _wrap(text: str, font: Fonts, width: int) -> list[str]:
    """Greedy wrap between words (and between CJK characters); a piece wider than the line
    is cut with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        glue = " "
        for piece in _PIECES.findall(word):
            if lines and _width(f"{lines[-1]}{glue}{piece}", font) <= width:
                lines[-1] = f"{lines[-1]}{glue}{piece}"
            else:
                lines.append(_cut(piece, font, width))
            glue = ""
    return lines


def _cut(text: str, font: Fonts, width: int) -> str:
    if _width(text, font) <= width:
        return text
    while text and _width(text + "…", font) > width:
        text = text[:-1]
    return text + "…"


def drawable(text: str, bold: bool = True) -> str:
    """`text` without what no font can draw (emoji, scripts no font found covers)."""
    kept = "".join(run for run, _ in _font(24, bold).runs(text))
    return " ".join(kept.split())


def fit(
    text: str, *, width: int, lines: int, sizes: range, bold: bool = True
) -> tuple[Fonts, list[str]]:
    """The largest size (from `sizes`, largest first) at which `text` wraps into `lines`.

    At the smallest size the text is cut after the last line, ending in an ellipsis.
    """
    text = drawable(text, bold)
    font = _font(sizes.start, bold)
    for size in sizes:
        font = _font(size, bold)
        wrapped = _wrap(text, font, width)
        if len(wrapped) <= lines:
            return font, wrapped
    wrapped = _wrap(text, font, width)
    kept = wrapped[:lines] or [""]
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
    font: Fonts,
    fill: RGB,
    spacing: float = 1.12,
) -> int:
    """Draws left-aligned lines from `top`; returns the y just below the last one."""
    ascent, descent = font.getmetrics()
    step = round((ascent + descent) * spacing)
    for index, line in enumerate(lines):
        font.draw(draw, (MARGIN, top + index * step), line, fill)
    return top + len(lines) * step


def _draw_bottom_lines(
    draw: ImageDraw.ImageDraw, bottom: int, lines: list[str], font: Fonts
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
    if spec.whole_show:
        big = "All seasons"
        label = "EVERY SEASON"
        title = "Every song, season by season"
    elif spec.episode is None:
        big = f"Season {spec.season}"
        label = "EVERY EPISODE" + (f" · {spec.year}" if spec.year else "")
        title = "Every song, episode by episode"
    else:
        big = f"S{spec.season} · E{spec.episode:02d}"
        label = f"SEASON {spec.season} · EPISODE {spec.episode}"
        title = spec.title or f"Episode {spec.episode}"
    _font(24, bold=False).draw(draw, (MARGIN, label_top), label, palette.accent)
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
