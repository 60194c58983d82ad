#!/usr/bin/env python3
"""Rebuilds samples/data/pacs-mini from ../shared/data/pacs (maintainers only; users never need to run it).

Per category, whole groups (a Sketchy photo and the sketches drawn from it; every unpaired file is a group of its
own) are shuffled with a fixed seed and assigned to train or test, so no photo's sketches are on both sides.
Images are downscaled to 192 x 192 with ImageMagick: sketches as 8-bit grey PNG, photos as JPEG quality 85.
"""
import os, random, re, subprocess, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared/data/pacs")
DST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pacs-mini")
SIZE = 192
TARGET = {"train": (30, 20), "test": (10, 10)}  # (sketches, photos) per category
SKETCHES_PER_PHOTO = 2
SEED = 2017

def convert(src, dst, photo):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    args = ["/usr/bin/convert", src, "-resize", f"{SIZE}x{SIZE}!"]
    args += ["-quality", "85", "-sampling-factor", "4:2:0", "-strip"] if photo else ["-colorspace", "Gray", "-depth", "8", "-strip", "PNG8:" + dst]
    if photo:
        args.append(dst)
    subprocess.run(args, check=True)

def main():
    rng = random.Random(SEED)
    for category in sorted(os.listdir(os.path.join(SRC, "photo"))):
        sketches = sorted(os.listdir(os.path.join(SRC, "sketch", category)))
        photos = sorted(os.listdir(os.path.join(SRC, "photo", category)))
        by_photo = {}
        for s in sketches:
            m = re.match(r"^(n\d+_\d+)-\d+\.png$", s)
            if m and m.group(1) + ".jpg" in photos:
                by_photo.setdefault(m.group(1) + ".jpg", []).append(s)
        paired = [p for p in photos if p in by_photo]
        lone_photos = [p for p in photos if p not in by_photo]
        used = {s for ss in by_photo.values() for s in ss}
        lone_sketches = [s for s in sketches if s not in used]
        rng.shuffle(paired); rng.shuffle(lone_photos); rng.shuffle(lone_sketches)
        for side in ("train", "test"):
            want_s, want_p = TARGET[side]
            chosen_s, chosen_p = [], []
            while paired and len(chosen_p) < want_p and len(chosen_s) + SKETCHES_PER_PHOTO <= want_s:
                p = paired.pop()
                chosen_p.append(p)
                chosen_s += sorted(by_photo[p], key=lambda s: rng.random())[:SKETCHES_PER_PHOTO]
            while len(chosen_p) < want_p and lone_photos:
                chosen_p.append(lone_photos.pop())
            while len(chosen_s) < want_s and lone_sketches:
                chosen_s.append(lone_sketches.pop())
            for s in chosen_s:
                convert(os.path.join(SRC, "sketch", category, s), os.path.join(DST, side, "sketch", category, s), False)
            for p in chosen_p:
                convert(os.path.join(SRC, "photo", category, p), os.path.join(DST, side, "photo", category, p), True)
            print(f"{side:5} {category:9} {len(chosen_s):3} sketches {len(chosen_p):3} photos")

if __name__ == "__main__":
    main()
