"""Seed inputs of csv_fuzzer: a pick byte (loss, missing policy, unknown policy) then CSV or encoding text."""
import os
import sys

SEEDS = {
    "mixed": b"\x57age,city,income,label\n30,paris,10.5,yes\n40,\"rome, it\",,no\n50,paris,NA,yes\n",
    "typo": b"\x14x,y\n1,0\n2,1\n3x,0\n",
    "regression": b"\x21a,b,t\r\n1.5,-2,0.25\r\n1e3,+4,NaN\r\n",
    "encoding": b"\x00mlc-tabular 1\nmissing mean\nunknown zero\nfeature age numeric 0x1.4p+5\n"
                b"feature city categorical 2 paris rome%2C\ntarget label categorical 2 no yes\n",
}

os.makedirs(sys.argv[1], exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(data)
