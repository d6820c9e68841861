#!/usr/bin/python3
"""Runs mlc over the ONNX backend test data: every test whose model mlc imports is compiled for
inference and run on each of its data sets (mlc-onnx-run); tests mlc cannot import are skipped and
listed with the reason. Prints per-test failures, a per-op table (also written as Markdown) and
`conformance: P passed, F failed, S skipped`. Exits 1 when a test fails that is not listed, with
its reason, in known_failures.txt, or when a listed one passes (so the list stays true)."""
import argparse
import collections
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

import onnx

SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]


def op_types(model_path):
    try:
        model = onnx.load(model_path)
    except Exception as e:  # a model python's onnx cannot read is reported, not fatal
        return ["<unreadable: %s>" % type(e).__name__]
    return sorted({n.op_type for n in model.graph.node})


def run_test(runner, test_dir, target, timeout):
    """(status, detail): PASS, FAIL or SKIP for one test over all its data sets."""
    model = os.path.join(test_dir, "model.onnx")
    datasets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
    if not datasets:
        return "SKIP", "no protobuf test data (only .npz)"
    worst = "PASS"
    for ds in datasets:
        key = lambda p: int(re.search(r"_(\d+)\.pb$", p).group(1))
        inputs = sorted(glob.glob(os.path.join(ds, "input_*.pb")), key=key)
        outputs = sorted(glob.glob(os.path.join(ds, "output_*.pb")), key=key)
        cmd = [runner, model, "--target=" + target]
        cmd += ["--input=" + p for p in inputs] + ["--expected=" + p for p in outputs]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "FAIL", "timed out after %ds" % timeout
        line = (proc.stdout.strip().splitlines() or [""])[-1]
        if proc.returncode == 2:
            reason = line.removeprefix("UNSUPPORTED: ").replace(model + ": ", "")
            return "SKIP", reason
        if proc.returncode != 0:
            err = (proc.stderr.strip().splitlines() or [""])[0]
            detail = line if line.startswith("FAIL") else "crashed (exit %d): %s" % (proc.returncode, err)
            return "FAIL", "%s: %s" % (os.path.basename(ds), detail)
        worst = line
    return "PASS", worst


def skip_kind(reason):
    m = re.search(r"op type '([^']+)' is not supported", reason)
    if m:
        return "unsupported op " + m.group(1)
    m = re.search(r"domain '([^']+)'", reason)
    if m:
        return "unsupported domain " + m.group(1)
    return "other: " + reason


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True, help="path of mlc-onnx-run")
    ap.add_argument("--data", default="/usr/share/libonnx-testdata/data")
    ap.add_argument("--filter", default="", help="regex: run only matching test names")
    ap.add_argument("--target", default="cpu")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--known-failures", default=os.path.join(os.path.dirname(__file__), "known_failures.txt"))
    ap.add_argument("--markdown", help="write the per-op table here")
    args = ap.parse_args()

    if not os.path.isdir(args.data):
        print("conformance: %s not found (Debian package libonnx-testdata)" % args.data, file=sys.stderr)
        return 1
    tests = []
    for suite in SUITES:
        for d in sorted(glob.glob(os.path.join(args.data, suite, "test_*"))):
            name = suite + "/" + os.path.basename(d)
            if os.path.isfile(os.path.join(d, "model.onnx")) and re.search(args.filter, name):
                tests.append((name, d))

    known = {}
    if os.path.isfile(args.known_failures):
        for line in open(args.known_failures):
            line = line.split("#", 1)[0].strip()
            if line:
                name, _, why = line.partition(" ")
                known[name] = why.strip()

    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_test, args.runner, d, args.target, args.timeout): n for n, d in tests}
        for f in concurrent.futures.as_completed(futures):
            results[futures[f]] = f.result()

    per_op = collections.defaultdict(lambda: collections.Counter())
    skips = collections.Counter()
    unexpected, fixed = [], []
    for name, d in tests:
        status, detail = results[name]
        ops = op_types(os.path.join(d, "model.onnx"))
        for op in ops:
            per_op[op][status] += 1
        if status == "SKIP":
            skips[skip_kind(detail)] += 1
            continue
        if status == "FAIL":
            print("FAIL %s [%s]: %s%s" % (name, ", ".join(ops), detail, "  (known)" if name in known else ""))
            if name not in known:
                unexpected.append(name)
        elif name in known:
            fixed.append(name)

    counts = collections.Counter(s for s, _ in results.values())
    passed, failed, skipped = counts["PASS"], counts["FAIL"], counts["SKIP"]
    rows = ["| op | tests | passed | failed | skipped |", "|---|---|---|---|---|"]
    for op in sorted(per_op):
        c = per_op[op]
        rows.append("| %s | %d | %d | %d | %d |" % (op, sum(c.values()), c["PASS"], c["FAIL"], c["SKIP"]))
    skip_rows = ["| reason | tests |", "|---|---|"]
    for why, n in sorted(skips.items(), key=lambda kv: (-kv[1], kv[0])):
        skip_rows.append("| %s | %d |" % (why.replace("|", "\\|"), n))
    supported = passed + failed
    rate = 100.0 * passed / supported if supported else 0.0
    summary = "conformance: %d passed, %d failed, %d skipped" % (passed, failed, skipped)
    print("\n".join(rows))
    print()
    print("\n".join(skip_rows))
    print()
    print("pass rate over the tests mlc imports: %.1f%% (%d of %d)" % (rate, passed, supported))
    for name in fixed:
        print("now passes, remove from known_failures.txt: " + name)
    for name in unexpected:
        print("unexpected failure: " + name)
    if args.markdown:
        with open(args.markdown, "w") as md:
            md.write("# ONNX backend conformance\n\n")
            md.write("Generated by `tests/conformance/run.sh` from Debian's libonnx-testdata (`%s`) "
                     "(target %s, rtol 1e-4, atol 1e-5). A test passes when every data set's outputs "
                     "match; tests whose model mlc does not import are skipped, by reason below.\n\n"
                     % (args.data, args.target))
            md.write("%s\n\npass rate over the tests mlc imports: %.1f%% (%d of %d)\n\n" % (summary, rate, passed, supported))
            md.write("## Per op (a test counts once for each op type in its model)\n\n")
            md.write("\n".join(rows) + "\n\n## Skipped, by reason\n\n" + "\n".join(skip_rows) + "\n")
    print(summary)
    return 1 if unexpected or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
