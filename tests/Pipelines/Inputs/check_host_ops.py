"""Lists, per func.func of printed MLIR (stdin), the ops at the function's top level that are not
in the allowed set; prints "@name: N gpu.launch, host ops ok" or "@name: host op OP" lines."""
import re
import sys

# Ops the host may run on device buffers: index math, views, launches.
ALLOWED = {
    "arith.constant", "arith.addi", "arith.muli", "arith.subi", "arith.index_cast",
    "memref.view", "memref.subview", "memref.reinterpret_cast", "memref.cast",
    "memref.collapse_shape", "memref.expand_shape",
    "gpu.launch", "func.return", "return",
}


def op_name(line):
    text = line.strip()
    if text.startswith("%"):
        text = text.split(" = ", 1)[1]
    return re.match(r'"?([\w.]+)', text).group(1)


def main():
    func, indent, launches, bad = None, None, 0, []
    for line in sys.stdin:
        header = re.match(r"(\s*)func\.func (?:private )?@(\w+)", line)
        if header and line.rstrip().endswith("{"):
            func, indent, launches, bad = header.group(2), len(header.group(1)) + 2, 0, []
            continue
        if func is None or not line.strip() or line.strip().startswith(("}", "^")):
            if func is not None and line.rstrip() == " " * (indent - 2) + "}":
                for name in bad:
                    print("@%s: host op %s" % (func, name))
                if not bad:
                    print("@%s: %d gpu.launch, host ops ok" % (func, launches))
                func = None
            continue
        if len(line) - len(line.lstrip()) != indent:
            continue
        name = op_name(line)
        launches += name == "gpu.launch"
        if name not in ALLOWED:
            bad.append(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
