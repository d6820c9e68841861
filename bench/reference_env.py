"""Imported first by every benchmark that runs PyTorch: OpenBLAS reads OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE when torch loads it, and those overrides force slower kernels here, so the
reference would run below its best. They are dropped from this process's environment before
torch is imported (mlc does not use OpenBLAS; its trainers are unaffected). Tests never do this."""
import os

for _name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_name, None)
