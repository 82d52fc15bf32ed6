"""A one-story edit with and without a large video in the story: the video must cost nothing once published.

Two copies of the sample content/ under --out: in one, the Oulx interview's video is replaced by a video of about
--megabytes MB (made by ffmpeg: noise at a constant bit rate, as long as the captions); in the other the story has no
video. Each round appends a line to the story's text in both copies, in turns, and times `python build.py` from
outside (the cache warm: the first build of each copy is left out).

    python bench/media.py --out /dev/shm/media --rounds 5
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STORY = "content/oulx/storie/la-tosatura-all-alpeggio/index.md"


def make_video(path: Path, megabytes: int, seconds: int = 12) -> None:
    rate = megabytes * 8 * 1024 // seconds  # kbit/s
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"nullsrc=s=640x360:r=25:d={seconds},geq=random(1)*255:128:128",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=330:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-b:v",
            f"{rate}k",
            "-minrate",
            f"{rate}k",
            "-maxrate",
            f"{rate}k",
            "-bufsize",
            f"{rate}k",
            "-x264-params",
            "nal-hrd=cbr",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )


def build(root: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(PROJECT / "build.py")], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=PROJECT / "bench/out/media")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=30)
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    copies = {"video": args.out / "video", "senza": args.out / "senza"}
    for root in copies.values():
        shutil.copytree(PROJECT / "content", root / "content")
    video = copies["video"] / STORY.replace("index.md", "tosatura.mp4")
    make_video(video, args.megabytes)
    plain = copies["senza"] / STORY
    plain.write_text(
        re.sub(r"\nvideo:\n(?:  .*\n|\n(?=    ))*", "\n", plain.read_text(encoding="utf-8")), encoding="utf-8"
    )
    time.sleep(2.5)  # older than the memo's trust window: the originals count as unchanged from now on
    for root in copies.values():
        build(root)
        build(root)
    times: dict[str, list[float]] = {name: [] for name in copies}
    for n in range(args.rounds):
        for name, root in copies.items():
            with open(root / STORY, "a", encoding="utf-8") as handle:
                handle.write(f"\nUna riga aggiunta al giro {n}.\n")
            times[name].append(build(root))
    print(f"video: {video.stat().st_size / 1024 / 1024:.1f} MB")
    for name, values in times.items():
        print(f"{name:6} median {statistics.median(values):.2f} s  ({', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
