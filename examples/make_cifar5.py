#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make a small synthetic CIFAR-5 in the tutorial's folder layout.

    cifar5/train/<class>/<class>_0000.png      classes: airplane automobile ship truck bird
    cifar5/test/<class>/<class>_0000.png

Each image is a 32x32 RGB picture whose colours and shapes depend on its class (a sky with a
cross for an airplane, a red car on a road, a hull on water, a yellow box on wheels, a small dark
bird in the greenery), jittered in position, size and colour and sprinkled with noise, so that a
tiny model learns the classes in seconds but not from one pixel. The output is deterministic: the
same --seed writes byte-identical files, and image i of a class and split does not depend on how
many images are asked for (asking for more adds files, the first ones stay the same), which makes
the datastore's versioning easy to show.

Needs only Debian's python3-numpy and python3-pil:

    /usr/bin/python3 make_cifar5.py                    # ./cifar5, 60 train + 20 test per class
    /usr/bin/python3 make_cifar5.py --out /tmp/cifar5 --train 200 --test 50
"""

import argparse
import os
import sys
import time

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ("airplane", "automobile", "ship", "truck", "bird")
SPLITS = ("train", "test")


def _colour(rng, base, spread=25):
    """A jittered RGB tuple around base."""
    return tuple(int(np.clip(c + rng.integers(-spread, spread + 1), 0, 255)) for c in base)


def _gradient(size, top, bottom):
    """A vertical gradient background, float HxWx3."""
    t = np.linspace(0.0, 1.0, size)[:, None, None]
    img = (1 - t) * np.asarray(top, float) + t * np.asarray(bottom, float)
    return np.broadcast_to(img, (size, size, 3)).copy()


def _airplane(rng, s, draw):
    cx, cy = rng.integers(s // 3, 2 * s // 3 + 1, size=2)
    length = int(rng.integers(s // 2, 3 * s // 4))
    span = int(rng.integers(s // 3, s // 2))
    body = _colour(rng, (215, 215, 220), 20)
    draw.rectangle([cx - length // 2, cy - 1, cx + length // 2, cy + 1], fill=body)  # fuselage
    draw.polygon([(cx - 2, cy), (cx + 3, cy), (cx - 1, cy - span // 2), (cx - 4, cy - span // 2)],
                 fill=body)  # wings, swept back
    draw.polygon([(cx - 2, cy), (cx + 3, cy), (cx - 1, cy + span // 2), (cx - 4, cy + span // 2)],
                 fill=body)
    tail = cx - length // 2
    draw.rectangle([tail, cy - 4, tail + 2, cy], fill=body)


def _automobile(rng, s, draw):
    w = int(rng.integers(s // 2, 3 * s // 4))
    h = int(rng.integers(s // 6, s // 4))
    x0 = int(rng.integers(1, s - w - 1))
    y0 = int(rng.integers(s // 2, 3 * s // 4 - h // 2))
    paint = _colour(rng, (200, 30, 35), 35)
    draw.rectangle([x0, y0, x0 + w, y0 + h], fill=paint)  # body
    draw.rectangle([x0 + w // 4, y0 - h // 2 - 1, x0 + 3 * w // 4, y0], fill=paint)  # cabin
    draw.rectangle([x0 + w // 4 + 2, y0 - h // 2 + 1, x0 + 3 * w // 4 - 2, y0 - 1],
                   fill=_colour(rng, (160, 200, 230), 20))  # windows
    r = max(2, h // 2)
    for wx in (x0 + w // 5, x0 + 4 * w // 5):
        draw.ellipse([wx - r, y0 + h - r, wx + r, y0 + h + r], fill=(20, 20, 20))


def _ship(rng, s, draw):
    horizon = int(rng.integers(s // 2 - 3, s // 2 + 4))
    draw.rectangle([0, horizon, s - 1, s - 1], fill=_colour(rng, (25, 60, 125), 20))  # the sea
    w = int(rng.integers(s // 2, 4 * s // 5))
    x0 = int(rng.integers(0, s - w))
    hull = _colour(rng, (60, 50, 45), 25)
    draw.polygon([(x0, horizon - 3), (x0 + w, horizon - 3), (x0 + w - 4, horizon + 3),
                  (x0 + 4, horizon + 3)], fill=hull)
    cabin = _colour(rng, (235, 235, 235), 15)
    draw.rectangle([x0 + w // 3, horizon - 8, x0 + 2 * w // 3, horizon - 3], fill=cabin)
    draw.rectangle([x0 + w // 2 - 1, horizon - 12, x0 + w // 2 + 1, horizon - 8], fill=hull)


def _truck(rng, s, draw):
    w = int(rng.integers(s // 2, 3 * s // 4))
    h = int(rng.integers(s // 4, s // 3))
    x0 = int(rng.integers(1, s - w - 6))
    y0 = int(rng.integers(s // 3, s // 2))
    draw.rectangle([x0, y0, x0 + w, y0 + h], fill=_colour(rng, (230, 190, 40), 25))  # cargo box
    draw.rectangle([x0 + w + 1, y0 + h // 3, x0 + w + 6, y0 + h],
                   fill=_colour(rng, (40, 70, 160), 25))  # cab
    r = 3
    for wx in (x0 + 4, x0 + w // 2, x0 + w + 3):
        draw.ellipse([wx - r, y0 + h - r + 1, wx + r, y0 + h + r + 1], fill=(15, 15, 15))


def _bird(rng, s, draw):
    cx = int(rng.integers(s // 4, 3 * s // 4))
    cy = int(rng.integers(s // 4, 3 * s // 4))
    rx = int(rng.integers(3, 6))
    ry = int(rng.integers(2, 4))
    feathers = _colour(rng, (70, 45, 30), 25)
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=feathers)  # body
    draw.ellipse([cx + rx - 2, cy - ry - 3, cx + rx + 2, cy - ry + 1], fill=feathers)  # head
    draw.polygon([(cx + rx + 2, cy - ry - 1), (cx + rx + 5, cy - ry), (cx + rx + 2, cy - ry + 1)],
                 fill=_colour(rng, (240, 170, 20), 15))  # beak
    draw.line([(cx - 2, cy), (cx - rx - 3, cy - ry - 3)], fill=feathers, width=2)  # wing


# Per class: background (top colour, bottom colour) and the drawing of its subject.
_SCENES = {
    "airplane": ((90, 150, 225), (170, 205, 240), _airplane),     # clear sky
    "automobile": ((150, 150, 145), (75, 75, 75), _automobile),   # street and road
    "ship": ((150, 195, 235), (120, 170, 220), _ship),            # sky; _ship adds the sea
    "truck": ((120, 150, 100), (110, 105, 95), _truck),           # verge and dirt road
    "bird": ((70, 125, 50), (110, 150, 60), _bird),               # foliage
}


def make_image(seed, split, cls, index, size=32):
    """One image as a PIL RGB image; a pure function of its arguments."""
    rng = np.random.default_rng([seed, SPLITS.index(split), CLASSES.index(cls), index])
    top, bottom, subject = _SCENES[cls]
    img = _gradient(size, _colour(rng, top), _colour(rng, bottom))
    canvas = Image.fromarray(img.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(canvas)
    subject(rng, size, draw)
    if rng.random() < 0.5:
        canvas = canvas.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    pixels = np.asarray(canvas, dtype=float)
    pixels += rng.normal(0.0, 12.0, pixels.shape)                  # sensor noise
    pixels *= rng.uniform(0.8, 1.2)                                # exposure
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def generate(out, per_split, seed=0, size=32, verbose=True):
    """Write the dataset under out; returns the number of images written."""
    written = 0
    for split in SPLITS:
        for cls in CLASSES:
            folder = os.path.join(out, split, cls)
            os.makedirs(folder, exist_ok=True)
            names = set()
            for i in range(per_split[split]):
                name = "%s_%04d.png" % (cls, i)
                names.add(name)
                # optimize=False and no metadata: the same pixels always encode to the same bytes.
                make_image(seed, split, cls, i, size).save(os.path.join(folder, name), "PNG")
                written += 1
            # A rerun with fewer images leaves no stale ones of ours behind.
            for entry in os.listdir(folder):
                if entry.endswith(".png") and entry.startswith(cls + "_") and entry not in names:
                    os.remove(os.path.join(folder, entry))
        if verbose:
            print("%s: %d images per class" % (split, per_split[split]))
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Write a small synthetic CIFAR-5 (train/ and test/ folders, one per class).")
    parser.add_argument("--out", default="cifar5", help="output folder (default: ./cifar5)")
    parser.add_argument("--train", type=int, default=60, help="train images per class (default 60)")
    parser.add_argument("--test", type=int, default=20, help="test images per class (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    parser.add_argument("--size", type=int, default=32, help="image side in pixels (default 32)")
    args = parser.parse_args(argv)
    if args.train < 0 or args.test < 0:
        parser.error("--train and --test must not be negative")
    if args.size < 24:
        parser.error("--size must be at least 24")
    started = time.monotonic()
    n = generate(args.out, {"train": args.train, "test": args.test}, args.seed, args.size)
    print("wrote %d images for %s to %s in %.1f s"
          % (n, ", ".join(CLASSES), args.out, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
