#!/usr/bin/python3
"""Runs the catalogue of malformed inputs (make_cases.py): each must exit with its code and print
exactly one line on stderr that contains its expected text; never a signal, never silence.

    run_cases.py --dir DIR --mlc BUILD/bin/mlc

Compiles the catalogue's MLP trainer, writes a good checkpoint and its broken copies, runs every
case of DIR/cases.tsv, prints a line per failure and 'bad inputs: N cases, M passed'; exits 1 if
any failed.
"""
import argparse
import os
import shlex
import subprocess
import sys


def run(argv, timeout=120):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        return p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "timed out after %d s" % timeout


def make_checkpoints(d, trainer):
    ck = os.path.join(d, "ck")
    os.makedirs(ck, exist_ok=True)
    good = os.path.join(ck, "good.mlcckpt")
    code, err = run([trainer, "--data=" + os.path.join(d, "data_good"), "--epochs=1", "--save-weights=" + good])
    if code != 0:
        sys.exit("run_cases: the catalogue's trainer failed on good data: " + err)
    data = open(good, "rb").read()
    broken = {"ck_empty": b"", "ck_magic": b"\x00" + data[1:], "ck_truncated": data[: len(data) - 100],
              "ck_flipped": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:], "ck_header": data[:20]}
    for name, payload in broken.items():
        with open(os.path.join(ck, name + ".mlcckpt"), "wb") as f:
            f.write(payload)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--mlc", required=True)
    a = p.parse_args()
    d = os.path.abspath(a.dir)
    trainer = os.path.join(d, "trainer")
    code, err = run([a.mlc, "compile", os.path.join(d, "mlp.onnx"), "--optimizer=adam", "-o", trainer], 600)
    if code != 0:
        sys.exit("run_cases: cannot compile the catalogue's trainer: " + err)
    make_checkpoints(d, trainer)
    cases = [line.rstrip("\n").split("\t") for line in open(os.path.join(d, "cases.tsv"))]
    passed = 0
    for name, want, message, argv in cases:
        fill = lambda s: s.replace("{mlc}", a.mlc).replace("{trainer}", trainer).replace("{dir}", d)
        code, err = run([fill(x) for x in shlex.split(argv)])
        lines = [l for l in err.splitlines() if l.strip()]
        problems = []
        if code != int(want):
            problems.append("exit %s, expected %s" % (code, want))
        if len(lines) != 1:
            problems.append("%d stderr lines, expected 1" % len(lines))
        if fill(message) not in err:
            problems.append("no '%s' in stderr" % fill(message))
        if problems:
            print("FAIL %s: %s: %s" % (name, "; ".join(problems), " | ".join(lines)[:300]))
        else:
            passed += 1
    print("bad inputs: %d cases, %d passed" % (len(cases), passed))
    sys.exit(0 if passed == len(cases) else 1)


if __name__ == "__main__":
    main()
