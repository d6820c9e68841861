# lit configuration of mlc's regression tests (FileCheck on IR, the tools' errors, end-to-end runs).
import os
import shutil

import lit.formats

config.name = "mlc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mlc_obj_root, "tests")
config.excludes = ["unit", "corpus", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "CMakeLists.txt", "README.md"]

config.environment["PATH"] = os.pathsep.join(
    [config.mlc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%mlc_src", config.mlc_src_root))
config.substitutions.append(("%mlc_build", config.mlc_obj_root))
config.substitutions.append(("%fashion_mnist", "/usr/share/datasets/fashion-mnist"))
config.substitutions.append(("%mlir_c_runner_utils", os.path.join(config.llvm_tools_dir, "..", "lib", "libmlir_c_runner_utils.so")))

if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")
if os.path.isdir("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-testdata")
config.substitutions.append(("%onnx_node_tests", "/usr/share/libonnx-testdata/data/node"))
if os.path.exists(os.path.join(config.mlc_tools_dir, "checkpoint_fuzzer")):
    config.available_features.add("libfuzzer")
if os.path.exists("/usr/bin/chromium"):
    config.available_features.add("chromium")
# A build with ASan and UBSan (tools/test.sh --sanitize): valgrind cannot run its programs.
if getattr(config, "mlc_sanitize", False):
    config.available_features.add("sanitized")
if shutil.which("valgrind") and "sanitized" not in config.available_features:
    config.available_features.add("valgrind")
if os.path.exists("/usr/local/cuda/bin/ptxas"):
    config.available_features.add("ptxas")
