"""A PNG of a page, taken by headless Chromium (Debian's `chromium`, which the Makefile installs).

Chromium's own `--screenshot` captures the window only, so the window is made taller than any
audit page and the blank space below the page is cut off (Pillow, which matplotlib brings).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

WIDTH = 1280
MAX_HEIGHT = 16000  # Chromium's largest capture; a longer page is cut there (and said so)
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class ScreenshotError(RuntimeError):
    pass


def chromium_executable() -> str:
    """The path of a Chromium-like browser on PATH; ScreenshotError names what to install."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    raise ScreenshotError(f"no headless browser found (looked for {', '.join(BROWSERS)} on PATH): "
                          "install Debian's chromium (apt-get install chromium), as `make test` does")


def screenshot(page: Path, output: Path, timeout: float = 120) -> tuple[Path, bool]:
    """Capture `page` into `output` (PNG); returns the file and whether the page was longer
    than MAX_HEIGHT (then the image shows its top only)."""
    with tempfile.TemporaryDirectory(prefix="mlw-shot-") as folder:
        raw = Path(folder) / "raw.png"
        command = [chromium_executable(), "--headless", "--no-sandbox", "--disable-gpu",
                   "--hide-scrollbars", "--no-first-run", f"--user-data-dir={folder}/profile",
                   f"--window-size={WIDTH},{MAX_HEIGHT}", f"--screenshot={raw}",
                   page.resolve().as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0 or not raw.is_file():
            raise ScreenshotError(f"{page}: chromium exited with {result.returncode} and no screenshot: "
                                  f"{result.stderr.strip()[-500:]}")
        with Image.open(raw) as image:
            cropped, truncated = _trim_bottom(image.convert("RGB"))
        output.parent.mkdir(parents=True, exist_ok=True)
        cropped.save(output, format="PNG")
    return output, truncated


def _trim_bottom(image: Image.Image, margin: int = 24) -> tuple[Image.Image, bool]:
    """The image without the blank rows under the content (same colour as the bottom-left pixel)."""
    background = Image.new(image.mode, image.size, image.getpixel((0, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    if box is None:
        return image, False
    bottom = min(image.height, box[3] + margin)
    return image.crop((0, 0, image.width, bottom)), box[3] >= image.height - 1
