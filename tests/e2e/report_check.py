#!/usr/bin/python3
"""--report and `mlc plot`: every chart's polyline points map back to the logged values, and the
page renders in headless Chromium (the screenshot is not blank and shows the series colours).

Usage: report_check.py --trainer FAKE_TRAINER --mlc BUILD/bin/mlc [--chromium /usr/bin/chromium]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lr_schedule_parity import write_toy_data  # noqa: E402


def charts(html):
    """{chart id: (xmin, xmax, ymin, ymax, box, {series name: [(x, y), ...]})} with values mapped back."""
    out = {}
    for m in re.finditer(r'<svg[^>]*class="chart" id="([\w-]+)"[^>]*data-xmin="([^"]+)" data-xmax="([^"]+)" '
                         r'data-ymin="([^"]+)" data-ymax="([^"]+)" data-box="([^"]+)">(.*?)</svg>', html, re.S):
        cid, xmin, xmax, ymin, ymax = m.group(1), *map(float, m.groups()[1:5])
        left, top, right, bottom = map(float, m.group(6).split())
        series = {}
        for p in re.finditer(r'<polyline class="series" data-name="([^"]+)"[^>]*points="([^"]*)"', m.group(7)):
            pts = []
            for xy in p.group(2).split():
                px, py = map(float, xy.split(","))
                pts.append((xmin + (px - left) / (right - left) * (xmax - xmin),
                            ymin + (bottom - py) / (bottom - top) * (ymax - ymin)))
            series[p.group(1)] = pts
        out[cid] = (xmin, xmax, ymin, ymax, series)
    return out


def compare(name, got, want, xrange_, yrange, fails):
    if len(got) != len(want):
        fails.append("%s: %d points drawn, %d logged" % (name, len(got), len(want)))
        return 0.0
    worst = 0.0
    for (gx, gy), (wx, wy) in zip(got, want):
        worst = max(worst, abs(gx - wx) / xrange_, abs(gy - wy) / yrange)
    if worst > 1e-4:
        fails.append("%s: a point is %.2g of the axis range away from its logged value" % (name, worst))
    return worst


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--trainer", required=True)
    p.add_argument("--mlc", required=True)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    a = p.parse_args()
    fails = []
    with tempfile.TemporaryDirectory() as d:
        write_toy_data(d)
        log, report = os.path.join(d, "run.jsonl"), os.path.join(d, "run.html")
        subprocess.run([a.trainer, "--data=" + d, "--epochs=5", "--lr=0.3", "--val-split=0.2", "--lr-schedule=cosine",
                        "--warmup-steps=10", "--log=" + log, "--report=" + report], check=True, stdout=subprocess.DEVNULL)
        html = open(report).read()
        steps = [json.loads(l) for l in open(log) if l.startswith('{"step"')]
        epochs = [json.loads(l) for l in open(log) if l.startswith('{"epoch"')]
        if "<script" in html or "http://" in html.replace('xmlns="http://www.w3.org/2000/svg"', ""):
            fails.append("the report is not self-contained (script or network reference)")
        c = charts(html)
        if sorted(c) != ["epoch-accuracy", "epoch-loss", "step-loss", "step-lr"]:
            fails.append("charts found: %s" % sorted(c))
        worst = 0.0
        for cid, key, series, rows in (("step-loss", "step", "loss", steps), ("step-lr", "step", "lr", steps),
                                       ("epoch-loss", "epoch", "train_loss", epochs),
                                       ("epoch-loss", "epoch", "val_loss", epochs),
                                       ("epoch-accuracy", "epoch", "val_accuracy", epochs)):
            xmin, xmax, ymin, ymax, drawn = c.get(cid, (0, 1, 0, 1, {}))
            want = [(r[key], r[series]) for r in rows]
            worst = max(worst, compare(cid + "/" + series, drawn.get(series, []), want, xmax - xmin, ymax - ymin, fails))
        print("report_check: %d steps and %d epochs drawn; worst point error %.2g of the axis range"
              % (len(steps), len(epochs), worst))
        for table in ("epochs", "final", "per-class", "confusion", "config"):
            if 'id="%s"' % table not in html:
                fails.append("no %s table" % table)

        svg = os.path.join(d, "curves.svg")
        subprocess.run([a.mlc, "plot", log, "-o", svg], check=True, stdout=subprocess.DEVNULL)
        plotted = charts(open(svg).read())
        if [len(v[4].get("loss", [])) for k, v in plotted.items() if k == "step-loss"] != [len(steps)]:
            fails.append("mlc plot: the step-loss chart does not hold every step")
        else:
            print("report_check: mlc plot drew %d charts" % len(plotted))
        # The PNG: the same geometry, so every drawn step-loss point is a pixel of the series colour
        # (within a pixel of rounding) in the first chart, below the 30-pixel title band.
        png = os.path.join(d, "curves.png")
        subprocess.run([a.mlc, "plot", log, "-o", png], check=True, stdout=subprocess.DEVNULL)
        from PIL import Image
        img = Image.open(png).convert("RGB")
        svg_text = open(svg).read()
        m = re.search(r'id="step-loss".*?data-name="loss"[^>]*points="([^"]*)"', svg_text, re.S)
        pts = [tuple(map(float, xy.split(","))) for xy in m.group(1).split()] if m else []
        hit = 0
        for x, y in pts:
            near = [img.getpixel((int(round(x)) + dx, int(round(y)) + 30 + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1, 2)
                    if 0 <= int(round(x)) + dx < img.size[0] and 0 <= int(round(y)) + 30 + dy < img.size[1]]
            hit += any(abs(r - 0x1f) < 30 and abs(g - 0x77) < 30 and abs(b - 0xb4) < 30 for r, g, b in near)
        print("report_check: mlc plot PNG %dx%d: %d of %d step-loss points drawn in the series colour"
              % (img.size[0], img.size[1], hit, len(pts)))
        if not pts or hit != len(pts):
            fails.append("the PNG does not show every step-loss point")

        if os.path.exists(a.chromium):
            shot = os.path.join(d, "shot.png")
            subprocess.run([a.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--window-size=1400,1800", "--screenshot=" + shot, "file://" + report],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
            from PIL import Image
            img = Image.open(shot).convert("RGB")
            pixels = list(img.getdata())
            nonwhite = sum(1 for px in pixels if px != (255, 255, 255)) / len(pixels)
            blue = sum(1 for px in pixels if abs(px[0] - 0x1f) < 40 and abs(px[1] - 0x77) < 40 and abs(px[2] - 0xb4) < 40)
            print("report_check: Chromium screenshot %dx%d, %.1f%% non-white, %d pixels of the first series colour"
                  % (img.size[0], img.size[1], 100 * nonwhite, blue))
            if nonwhite < 0.02 or blue < 200:
                fails.append("the screenshot looks blank")
        else:
            print("report_check: no Chromium at %s; screenshot skipped" % a.chromium)
    for f in fails:
        print("report_check: FAIL " + f)
    print("report_check: " + ("PASS" if not fails else "FAIL"))
    return 0 if not fails else 1


if __name__ == "__main__":
    sys.exit(main())
