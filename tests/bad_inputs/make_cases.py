#!/usr/bin/python3
"""Writes the catalogue of malformed inputs: models, .mlir files, data files, checkpoints and flags,
each with the exit code and the one-line message that mlc or a trainer must give for it.

    make_cases.py --dir DIR

writes the inputs under DIR and DIR/cases.tsv, one case per line:
    name <TAB> expected exit code <TAB> expected text of the one stderr line <TAB> argv (space-separated)
In argv, {mlc} is the compiler, {trainer} an MLP trainer that run_cases.py compiles first, {dir} DIR.
Every bug a fuzzer or a user finds becomes a case here.
"""
import argparse
import gzip
import os
import struct

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CASES = []


def case(name, code, message, argv):
    assert "\t" not in message and name not in {c[0] for c in CASES}, name
    CASES.append((name, code, message, argv))


def inp(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def init(name, shape, value=0.1):
    return numpy_helper.from_array(np.full(shape, value, dtype=np.float32), name)


def raw_tensor(name, dims, raw=b""):
    """A float tensor with the given dims and raw bytes, whether or not they agree."""
    t = onnx.TensorProto()
    t.name, t.data_type, t.raw_data = name, TensorProto.FLOAT, raw
    t.dims.extend(dims)
    return t


def flag_table(prefix, command, table):
    """One case per (flags, expected message): `command` with the flags appended."""
    for flags, message in table:
        name = prefix + flags.split("=")[0].strip("-").replace("-", "_") + "_" + str(len(CASES))
        case(name, 1, message, command.replace("FLAGS", flags))


def save(d, name, nodes, inputs, outputs, inits=(), opset=13, ir_version=None):
    m = helper.make_model(helper.make_graph(nodes, "g", inputs, outputs, list(inits)),
                          opset_imports=[helper.make_opsetid("", opset)], producer_name="mlc-bad-inputs")
    if ir_version is not None:
        m.ir_version = ir_version
    path = os.path.join(d, name + ".onnx")
    onnx.save(m, path)
    return path


def compile_case(d, name, code, message, extra="--loss=mse"):
    case(name, code, message, "{mlc} compile {dir}/%s.onnx %s -o {dir}/out/%s" % (name, extra, name))


def window_models(d):
    """Conv and poolings with window attributes libonnx's shape inference divides by."""
    x = inp("x", [2, 1, 8, 8])
    bad = {"strides": [[0, 0], [-1, 1], [1, 0]], "kernel_shape": [[0, 3], [-2, 3]],
           "dilations": [[0, 1], [1, -1]], "pads": [[-1, 0, 0, 0], [0, 0, 0, -3]]}
    for op in ["Conv", "AveragePool", "MaxPool"]:
        for attr, values in bad.items():
            if attr == "dilations" and op == "AveragePool":
                continue
            for k, v in enumerate(values):
                attrs = {"kernel_shape": [3, 3], attr: v}
                name = "%s_%s_%d" % (op.lower(), attr, k)
                if op == "Conv":
                    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="c", **attrs)]
                    inits = [init("w", [2, 1, 3, 3])]
                else:
                    nodes = [helper.make_node("Mul", ["x", "s"], ["xs"], name="scale"),
                             helper.make_node(op, ["xs"], ["y"], name="p", **attrs)]
                    inits = [init("s", [1])]
                save(d, name, nodes, [x], [inp("y", None)], inits)
                sign = "must not be negative" if attr == "pads" else "must be positive"
                bad_value = [b for b in v if (b < 0 if attr == "pads" else b <= 0)][0]
                compile_case(d, name, 1, "node 'p' (%s): attribute '%s' has %d; " % (op, attr, bad_value)
                             if op != "Conv" else "node 'c' (Conv): attribute '%s' has %d; " % (attr, bad_value))
    for g in [0, -2]:
        name = "conv_group_%d" % abs(g)
        save(d, name, [helper.make_node("Conv", ["x", "w"], ["y"], name="c", kernel_shape=[3, 3], group=g)],
             [x], [inp("y", None)], [init("w", [2, 1, 3, 3])])
        compile_case(d, name, 1, "node 'c' (Conv): attribute 'group' is %d; it must be positive" % g)


def shape_models(d):
    """Dimensions that are zero, negative or overflow int64."""
    def scaled(name, dims, message, init_dims=(1,)):
        save(d, name, [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", dims)],
             [inp("y", dims)], [init("w", list(init_dims))] if 0 not in init_dims else [])
        compile_case(d, name, 1, message)
    scaled("dim_zero", [64, 0], "input 'x' dimension 1 is 0; dimensions must be positive")
    scaled("dim_zero_inner", [64, 4, 0], "input 'x' dimension 2 is 0; dimensions must be positive")
    scaled("dim_negative", [64, -3], "input 'x' has a negative dimension (64 x -3)")
    scaled("dim_negative_batch", [-64, 3], "input 'x' has a negative dimension (-64 x 3)")
    scaled("dim_overflow", [80, 230584300921369405],
           "input 'x' has more elements than int64 counts (80 x 230584300921369405)")
    scaled("dim_overflow_square", [2**62, 2**62],
           "input 'x' has more elements than int64 counts (4611686018427387904 x 4611686018427387904)")
    scaled("dim_overflow_three", [2**31, 2**31, 4], "input 'x' has more elements than int64 counts")
    scaled("dim_symbolic_feature", [64, "f"], "input 'x' dimension 1 is not static")
    # An initializer whose declared dims overflow or are negative (no data to match them).
    for name, dims, message in [("init_overflow", [2**40, 2**40], "initializer 'w' has more elements than int64 counts"),
                                ("init_negative", [-4, 2], "initializer 'w' has a negative dimension (-4 x 2)")]:
        save(d, name, [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 2])],
             [inp("y", [4, 2])], [raw_tensor("w", dims)])
        compile_case(d, name, 1, message)


def structure_models(d):
    """Files that are not models, and models mlc cannot train."""
    open(os.path.join(d, "empty.onnx"), "wb").close()
    compile_case(d, "empty", 1, "empty.onnx: empty file (0 bytes), not an ONNX model")
    with open(os.path.join(d, "text.onnx"), "w") as f:
        f.write("this is not a model\n" * 4)
    compile_case(d, "text", 1, "text.onnx: not a valid ONNX model (protobuf parse failed)")
    with open(os.path.join(d, "random.onnx"), "wb") as f:
        f.write(np.random.default_rng(1).bytes(4096))
    compile_case(d, "random", 1, "random.onnx: not a valid ONNX model (protobuf parse failed)")
    good = save(d, "good", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
                [inp("y", [4, 3])], [init("w", [3])])
    data = open(good, "rb").read()
    with open(os.path.join(d, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    compile_case(d, "truncated", 1, "truncated.onnx: not a valid ONNX model (protobuf parse failed)")
    save(d, "no_ir_version", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
         [inp("y", [4, 3])], [init("w", [3])], ir_version=0)
    compile_case(d, "no_ir_version", 1, "no_ir_version.onnx: invalid ONNX model: The model does not have an ir_version set properly.")
    save(d, "unknown_op", [helper.make_node("Frobnicate", ["x"], ["y"], name="f")], [inp("x", [4, 3])],
         [inp("y", [4, 3])])
    compile_case(d, "unknown_op", 1, "node 'f' (Frobnicate): No Op registered for Frobnicate with domain_version of 13")
    save(d, "dangling_input", [helper.make_node("Mul", ["x", "nowhere"], ["y"], name="m")], [inp("x", [4, 3])],
         [inp("y", [4, 3])])
    compile_case(d, "dangling_input", 1, "dangling_input.onnx: invalid ONNX model: Nodes in a graph must be topologically sorted, however input 'nowhere' of node: name: m OpType: Mul is not output of any previous nodes.")
    save(d, "cycle", [helper.make_node("Add", ["x", "b"], ["a"], name="first"),
                      helper.make_node("Relu", ["a"], ["b"], name="second"),
                      helper.make_node("Identity", ["b"], ["y"], name="out")], [inp("x", [4, 3])], [inp("y", [4, 3])])
    compile_case(d, "cycle", 1, "input 'b' of node: name: first OpType: Add is not output of any previous nodes.")
    save(d, "two_outputs", [helper.make_node("Mul", ["x", "w"], ["y"], name="m"),
                            helper.make_node("Relu", ["y"], ["z"], name="r")], [inp("x", [4, 3])],
         [inp("y", [4, 3]), inp("z", [4, 3])], [init("w", [3])])
    compile_case(d, "two_outputs", 1, "the model must have exactly one output, it has 2")
    save(d, "no_params", [helper.make_node("Relu", ["x"], ["y"], name="r")], [inp("x", [4, 3])], [inp("y", [4, 3])])
    compile_case(d, "no_params", 1, "mlc-attach-optimizer: the model has no trainable parameters")
    save(d, "int8_input", [helper.make_node("Cast", ["x"], ["xf"], name="c", to=TensorProto.FLOAT),
                           helper.make_node("Mul", ["xf", "w"], ["y"], name="m")],
         [inp("x", [4, 3], TensorProto.INT8)], [inp("y", [4, 3])], [init("w", [3])])
    compile_case(d, "int8_input", 1, "input 'x' must be a float32 tensor (or integer token ids)")
    save(d, "no_input_shape", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")],
         [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)], [inp("y", [4, 3])], [init("w", [3])])
    compile_case(d, "no_input_shape", 1, "input 'x' has no shape")
    t = numpy_helper.from_array(np.ones(3, np.float64), "w")
    save(d, "float64_param", [helper.make_node("Cast", ["w"], ["wf"], name="c", to=TensorProto.FLOAT),
                              helper.make_node("Mul", ["x", "wf"], ["y"], name="m")],
         [inp("x", [4, 3])], [inp("y", [4, 3])], [t])
    compile_case(d, "float64_param", 1, "initializer 'w' is float64; trainable parameters must be float32")
    t = init("w", [3])
    t.raw_data = t.raw_data[:8]
    save(d, "short_raw_data", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
         [inp("y", [4, 3])], [t])
    compile_case(d, "short_raw_data", 1, "initializer 'w' has 8 bytes of data for 3 elements")
    external_data_models(d)
    save(d, "gemm_mismatch", [helper.make_node("Gemm", ["x", "w"], ["y"], name="g")], [inp("x", [4, 3])],
         [inp("y", [4, 5])], [init("w", [4, 5])])
    compile_case(d, "gemm_mismatch", 1, "node 'g' (Gemm)")
    save(d, "opset_too_new", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
         [inp("y", [4, 3])], [init("w", [3])], opset=99)
    compile_case(d, "opset_too_new", 1, "opset_too_new.onnx: opset 99 is newer than this mlc reads (up to 17)")
    save(d, "no_output_shape", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
         [inp("y", None)], [init("w", [3])])
    compile_case(d, "no_output_shape", 1, "no_output_shape.onnx: output 'y' has no shape")
    # Found by onnx_import_fuzzer: dims whose byte count overflowed (UBSan), and empty initializers
    # copied from a null pointer (UBSan).
    for name, dims, raw, message in [
            ("fuzz_huge_dims", [2945002663198419087], b"\0" * 4, "initializer 'w' has 4 bytes of data for 2945002663198419087 elements"),
            ("fuzz_empty_init", [0, 3], b"", "node 'm' (Mul): shapes do not broadcast: dimension of size 4 vs 0"),
            ("fuzz_empty_huge", [0, 2**63 - 1], b"", "node 'm' (Mul): shapes do not broadcast: dimension of size 4 vs 0")]:
        save(d, name, [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
             [inp("y", [4, 3])], [raw_tensor("w", dims, raw)])
        compile_case(d, name, 1, message)
    # Found by onnx_import_fuzzer (in CI): libonnx's Resize shape inference copied 20 bytes of raw_data
    # into a vector sized by `sizes`' one element (heap overflow). Every payload is checked against
    # its dims before inference: initializers, Constant values, typed fields.
    sizes = raw_tensor("sizes", [1], b"\4" + b"\0" * 19)
    sizes.data_type = TensorProto.INT64
    save(d, "fuzz_resize_sizes_payload", [helper.make_node("Resize", ["x", "sizes", "", "sizes"], ["y"], name="r")],
         [inp("x", [4, 3])], [inp("y", [4, 3])], [sizes])
    compile_case(d, "fuzz_resize_sizes_payload", 1, "initializer 'sizes' has 20 bytes of data for 1 elements")
    shape = helper.make_tensor("s", TensorProto.INT64, [3], [4, 3, 1])
    del shape.dims[:]
    shape.dims.append(2)
    save(d, "constant_value_count", [helper.make_node("Constant", [], ["s"], name="k", value=shape),
                                     helper.make_node("Reshape", ["x", "s"], ["y"], name="r")],
         [inp("x", [4, 3])], [inp("y", [4, 3])])
    compile_case(d, "constant_value_count", 1, "node 'k' (Constant): attribute 'value' has 3 values for 2 elements")
    t = helper.make_tensor("w", TensorProto.FLOAT, [2], [0.1, 0.2])
    t.dims[0] = 3
    save(d, "float_data_count", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
         [inp("y", [4, 3])], [t])
    compile_case(d, "float_data_count", 1, "initializer 'w' has 2 values for 3 elements")
    t = raw_tensor("w", [3], b"abc")
    t.data_type = TensorProto.STRING
    save(d, "string_raw_data", [helper.make_node("Mul", ["x", "w"], ["y"], name="m")], [inp("x", [4, 3])],
         [inp("y", [4, 3])], [t])
    compile_case(d, "string_raw_data", 1, "initializer 'w' is a string tensor with raw_data")
    model = helper.make_model(helper.make_graph([helper.make_node("Mul", ["x", "w"], ["y"], name="m")], "g",
                                                [inp("x", [4, 3])], [inp("y", [4, 3])]),
                              producer_name="mlc-bad-inputs", opset_imports=[helper.make_opsetid("", 13)])
    sparse = model.graph.sparse_initializer.add()
    sparse.values.CopyFrom(helper.make_tensor("w", TensorProto.FLOAT, [1], [0.5]))
    sparse.indices.CopyFrom(helper.make_tensor("w_i", TensorProto.INT64, [1], [1]))
    sparse.dims.extend([3])
    onnx.save(model, os.path.join(d, "sparse_initializer.onnx"))
    compile_case(d, "sparse_initializer", 1, "sparse initializer 'w': mlc does not read sparse tensors")
    # Found by onnx_import_fuzzer: integer shape arithmetic folded at import overflowed (UBSan); the
    # same review bounded ConstantOfShape's folded integers and checked folded Concat's operands.
    def ints(name, values):
        return numpy_helper.from_array(np.array(values, dtype=np.int64), name)
    big = ints("s", [2**52 * 1000, 3])
    save(d, "fuzz_int_mul_overflow", [helper.make_node("Mul", ["s", "s"], ["t"], name="square"),
                                      helper.make_node("Reshape", ["x", "t"], ["y"], name="r")],
         [inp("x", [4, 3])], [inp("y", [4, 3])], [big])
    compile_case(d, "fuzz_int_mul_overflow", 1, "node 'square' (Mul): integer Mul of 4503599627370496000 and "
                 "4503599627370496000 overflows int64")
    save(d, "constant_of_shape_huge", [helper.make_node("ConstantOfShape", ["s"], ["c"], name="fill",
                                                        value=helper.make_tensor("v", TensorProto.INT64, [1], [1])),
                                       helper.make_node("Reshape", ["x", "c"], ["y"], name="r")],
         [inp("x", [4, 3])], [inp("y", [4, 3])], [ints("s", [100000, 100000])])
    compile_case(d, "constant_of_shape_huge", 1, "node 'fill' (ConstantOfShape): an integer constant of "
                 "10000000000 elements; at most 2^24 are folded")
    save(d, "constant_of_shape_negative", [helper.make_node("ConstantOfShape", ["s"], ["c"], name="fill"),
                                           helper.make_node("Add", ["x", "c"], ["y"], name="a")],
         [inp("x", [4, 3])], [inp("y", [4, 3])], [ints("s", [4, -3])])
    compile_case(d, "constant_of_shape_negative", 1, "node 'fill' (ConstantOfShape): shape dimension -3 is not positive")
    save(d, "concat_folded_mismatch", [helper.make_node("Concat", ["a", "b"], ["s"], name="cat", axis=0),
                                       helper.make_node("Reshape", ["x", "s"], ["y"], name="r")],
         [inp("x", [4, 3])], [inp("y", [4, 3])], [ints("a", [[4, 3]]), ints("b", [[1]])])
    compile_case(d, "concat_folded_mismatch", 1, "node 'cat' (Concat): input 1 has size 1 in dimension 1 where input 0 has 2")
    # Found by onnx_import_fuzzer: Gemm (opset 6) on a rank-1 initializer crashed libonnx's shape
    # inference (SEGV).
    for opset in (6, 13):
        name = "gemm_rank1_opset%d" % opset
        save(d, name, [helper.make_node("Gemm", ["b", "b", "b"], ["y"], name="g")], [inp("x", [7, 8])],
             [inp("y", [64, 5])], [init("b", [5])], opset=opset)
        compile_case(d, name, 1, "node 'g' (Gemm): input 'b' has rank 1; Gemm multiplies matrices (rank 2)")
    # mlc has no boolean tensors: Where's condition must be a comparison, logic over them or a constant.
    save(d, "where_float_condition", [helper.make_node("Where", ["x", "x", "x"], ["y"], name="w")],
         [inp("x", [4, 3])], [inp("y", [4, 3])])
    compile_case(d, "where_float_condition", 1, "node 'w' (Where): condition 'x' must be a comparison, a logical op "
                 "of comparisons, or a constant (mlc has no boolean tensors)")
    # Constants built element by element at import are bounded (no hang on hostile sizes).
    save(d, "resize_huge", [helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], name="r")], [inp("x", [4, 3])],
         [inp("y", [4, 1000000000])], [numpy_helper.from_array(np.array([4, 1000000000], dtype=np.int64), "sizes")])
    compile_case(d, "resize_huge", 1, "node 'r' (Resize): axis 1 of 3 elements resized by")
    save(d, "cumsum_long", [helper.make_node("CumSum", ["x", "axis"], ["y"], name="c")], [inp("x", [4, 5000])],
         [inp("y", [4, 5000])], [numpy_helper.from_array(np.array(1, dtype=np.int64), "axis")])
    compile_case(d, "cumsum_long", 1, "node 'c' (CumSum): the axis has 5000 elements; CumSum multiplies by an N x N "
                 "matrix, N at most 4096")
    case("missing_file", 1, "nowhere.onnx: cannot open the file", "{mlc} compile {dir}/nowhere.onnx -o {dir}/out/x")


def external_data_models(d):
    """External data: confined to the model's directory, sizes checked before anything is read."""
    ext = os.path.join(d, "ext")
    os.makedirs(os.path.join(ext, "sub"), exist_ok=True)
    with open(os.path.join(ext, "w.bin"), "wb") as f:
        f.write(np.arange(4, dtype=np.float32).tobytes())  # 16 bytes
    with open(os.path.join(d, "outside.bin"), "wb") as f:
        f.write(np.arange(4, dtype=np.float32).tobytes())
    for link, target in (("escape", os.path.join(d, "outside.bin")), ("inside", "w.bin")):
        if not os.path.lexists(os.path.join(ext, link)):
            os.symlink(target, os.path.join(ext, link))
    if not os.path.exists(os.path.join(ext, "pipe")):
        os.mkfifo(os.path.join(ext, "pipe"))  # opening it for reading would wait for a writer forever

    def external(name, entries, dims=(3,), elem=TensorProto.FLOAT):
        t = onnx.TensorProto()
        t.name, t.data_type, t.data_location = "w", elem, TensorProto.EXTERNAL
        t.dims.extend(dims)
        for key, value in entries:
            e = t.external_data.add()
            e.key, e.value = key, value
        m = helper.make_model(helper.make_graph([helper.make_node("Mul", ["x", "w"], ["y"], name="m")], "g",
                                                [inp("x", [4, 3])], [inp("y", [4, 3])], [t]),
                              opset_imports=[helper.make_opsetid("", 13)])
        onnx.save(m, os.path.join(ext, name + ".onnx"))
        return "{mlc} compile {dir}/ext/%s.onnx --loss=mse -o {dir}/out/%s" % (name, name)

    for name, entries, message in [
            ("ext_traversal", [("location", "../outside.bin")],
             "initializer 'w': external data '../outside.bin' leaves the model's directory ('..' is refused)"),
            ("ext_traversal_deep", [("location", "sub/../../outside.bin")],
             "external data 'sub/../../outside.bin' leaves the model's directory ('..' is refused)"),
            ("ext_absolute", [("location", "/etc/passwd")],
             "external data '/etc/passwd' must be a path relative to the model's directory"),
            ("ext_symlink_out", [("location", "escape")],
             "external data 'escape' leaves the model's directory through a symbolic link"),
            ("ext_fifo", [("location", "pipe")], "external data 'pipe' is not a regular file"),
            ("ext_directory", [("location", "sub")], "external data 'sub' is not a regular file"),
            ("ext_missing", [("location", "nowhere.bin")], "external data 'nowhere.bin' not found beside the model"),
            ("ext_no_location", [("offset", "0")], "initializer 'w' is external data without a 'location'"),
            ("ext_short_file", [("location", "w.bin"), ("offset", "8")],
             "external data 'w.bin' has 16 bytes; the tensor needs 12 from offset 8"),
            ("ext_offset_past_end", [("location", "w.bin"), ("offset", "9223372036854775800")],
             "external data 'w.bin' has 16 bytes; the tensor needs 12 from offset 9223372036854775800"),
            ("ext_negative_offset", [("location", "w.bin"), ("offset", "-4")],
             "external data 'w.bin' has offset '-4', not a byte count"),
            ("ext_length_text", [("location", "w.bin"), ("length", "12 bytes")],
             "external data 'w.bin' has length '12 bytes', not a byte count"),
            ("ext_length_mismatch", [("location", "w.bin"), ("length", "16")],
             "external data 'w.bin' declares 16 bytes; its dims and type need 12"),
            ("ext_huge_dims", [("location", "w.bin")],
             "external data 'w.bin' has 16 bytes; the tensor needs 4000000000000 from offset 0")]:
        dims = (1000000000000,) if name == "ext_huge_dims" else (3,)
        case(name, 1, message, external(name, entries, dims))
    case("ext_string", 1, "initializer 'w': element type 8 cannot be read from external data",
         external("ext_string", [("location", "w.bin")], elem=TensorProto.STRING))
    # A symbolic link that stays inside the directory is followed (the model then fails later, on
    # the Mul's shapes, so the data was read).
    case("ext_symlink_inside", 1, "node 'm' (Mul): shapes do not broadcast",
         external("ext_symlink_inside", [("location", "inside")], dims=(4,)))


def flag_cases(d):
    flag_table("flag_", "{mlc} compile {dir}/good.onnx --loss=mse FLAGS -o {dir}/out/flag", [
            ("--loss=hinge", "unknown --loss=hinge (supported: cross_entropy"),
            ("--optimizer=lamb", "unknown --optimizer=lamb (supported: sgd"),
            ("--batch=0", "--batch must be positive"),
            ("--batch=-5", "--batch must be positive"),
            ("--target=tpu", "unsupported --target=tpu (supported: cpu, cuda)"),
            ("--emit=wasm", "unsupported --emit=wasm (supported: exe, obj, llvm, mlir, ptx)"),
            ("--emit=ptx", "--emit=ptx needs --target=cuda"),
            ("--layout=nhwc", "unknown --layout=nhwc (supported: auto, nchw)"),
            ("--reduction=total", "unknown --reduction=total (supported: mean, sum)"),
            ("--label-smoothing", "--label-smoothing needs --loss=cross_entropy, not mse"),
            ("--stage=graph", "--stage selects the IR that --emit=mlir prints; it needs --emit=mlir"),
            ("--emit=mlir --stage=final", "unknown stage 'final'"),
            ("--parallel-chunks=0", "--parallel-chunks must be at least 1"),
            ("--target=cuda --gpu-arch=sm_20", "unsupported --gpu-arch=sm_20"),
            ("--bogus-flag", "Unknown command line argument '--bogus-flag'.")])
    case("batch_too_large", 1, "the training step needs ",
         "{mlc} compile {dir}/mlp.onnx --batch=1000000000 -o {dir}/out/huge")
    case("memory_limit_exceeded", 1, "more than 0.1 GB (--memory-limit)",
         "{mlc} compile {dir}/mlp.onnx --batch=100000 --memory-limit=0.1 -o {dir}/out/huge")
    case("out_is_input", 1, "-o {dir}/good.onnx is the input model; refusing to overwrite it",
         "{mlc} compile {dir}/good.onnx --loss=mse -o {dir}/good.onnx")
    case("out_missing_dir", 1, "-o {dir}/nowhere/t: directory '{dir}/nowhere' does not exist",
         "{mlc} compile {dir}/good.onnx --loss=mse -o {dir}/nowhere/t")
    case("out_is_directory", 1, "-o {dir}/out is a directory", "{mlc} compile {dir}/good.onnx --loss=mse -o {dir}/out")
    case("mlir_needs_out", 1, "-o is required with --emit=obj", "{mlc} compile {dir}/good.onnx --loss=mse --emit=obj")


def mlir_cases(d):
    def write(name, text):
        with open(os.path.join(d, name + ".mlir"), "w") as f:
            f.write(text)
    write("mlir_syntax", "func.func @forward(%x: tensor<4xf32> -> tensor<4xf32> {\n")
    write("mlir_empty", "")
    write("mlir_unknown_op", "func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
                             "  %y = mlc.frobnicate %x : tensor<4xf32>\n  return %y : tensor<4xf32>\n}\n")
    n = 100000
    write("mlir_deep_type", "func.func @forward(%x: " + "tensor<" * n + "f32" + ">" * n + ") { return }\n")
    write("mlir_deep_region", "func.func @forward() {\n" + "scf.execute_region {\n" * n + "}\n" * n + "return }\n")
    write("mlir_deep_parens", "func.func @forward() -> " + "(" * n + "f32" + ")" * n + "\n")
    tiny = ('func.func @forward(%w: tensor<10x64xf32> {mlc.param = "fc.weight", mlc.initializer = dense<0.25> : '
            'tensor<INIT>}, %x: tensor<32x64xf32> {mlc.input = "x"}) -> (tensor<32x10xf32> {mlc.output = "y"}) {\n'
            '  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<32x64xf32>, tensor<10x64xf32> -> tensor<32x10xf32>\n'
            '  return %0 : tensor<32x10xf32>\n}\n')
    write("mlir_init_shape", tiny.replace("INIT", "64x10xf32"))
    write("mlir_init_count", tiny.replace("INIT", "10x65xf32"))
    for name, message in [
            ("mlir_deep_type", "mlir_deep_type.mlir:1:3607: nested more than 512 levels deep"),
            ("mlir_deep_region", "mlir_deep_region.mlir:513:20: nested more than 512 levels deep"),
            ("mlir_deep_parens", "mlir_deep_parens.mlir:1:537: nested more than 512 levels deep"),
            ("mlir_init_shape", "@forward argument #0 ('fc.weight') is tensor<10x64xf32> but its initial value is tensor<64x10xf32>"),
            ("mlir_init_count", "@forward argument #0 ('fc.weight') is tensor<10x64xf32> but its initial value is tensor<10x65xf32>"),
            ("mlir_empty", "mlir_empty.mlir:0:0: mlc-attach-loss: the module has no @forward function"),
            ("mlir_syntax", "mlir_syntax.mlir:1:37: expected ')'"),
                          ("mlir_unknown_op", "mlir_unknown_op.mlir:2:8: custom op 'mlc.frobnicate' is unknown")]:
        case(name, 1, message, "{mlc} compile {dir}/%s.mlir -o {dir}/out/%s" % (name, name))


def idx_bytes(kind, dims, payload):
    return struct.pack(">BBBB", 0, 0, kind, len(dims)) + b"".join(struct.pack(">I", x) for x in dims) + payload


def data_cases(d):
    """IDX datasets: a good one, then one file broken at a time."""
    rng = np.random.default_rng(0)
    def dataset(name, images=None, labels=None, test_images=None, gz=False):
        path = os.path.join(d, name)
        os.makedirs(path, exist_ok=True)
        good_images = idx_bytes(8, [128, 28, 28], rng.integers(0, 255, 128 * 784, dtype=np.uint8).tobytes())
        good_labels = idx_bytes(8, [128], rng.integers(0, 10, 128, dtype=np.uint8).tobytes())
        files = {"train-images-idx3-ubyte": images if images is not None else good_images,
                 "train-labels-idx1-ubyte": labels if labels is not None else good_labels,
                 "t10k-images-idx3-ubyte": test_images if test_images is not None else good_images,
                 "t10k-labels-idx1-ubyte": good_labels}
        for f, data in files.items():
            if gz and f == "train-images-idx3-ubyte":
                with open(os.path.join(path, f + ".gz"), "wb") as out:
                    out.write(data)
            else:
                with open(os.path.join(path, f), "wb") as out:
                    out.write(data)
        return path
    dataset("data_good")
    pixels = rng.integers(0, 255, 128 * 784, dtype=np.uint8).tobytes()
    broken = {
        "data_empty_images": (b"", "train-images-idx3-ubyte"),
        "data_bad_magic": (b"\x01\x02\x08\x03" + b"\0" * 12 + pixels, "train-images-idx3-ubyte"),
        "data_truncated": (idx_bytes(8, [128, 28, 28], pixels[:1000]), "train-images-idx3-ubyte"),
        "data_wrong_size": (idx_bytes(8, [128, 20, 20], pixels[:128 * 400]), "train-images-idx3-ubyte"),
        "data_float_type": (idx_bytes(0x0D, [128, 28, 28], pixels), "train-images-idx3-ubyte"),
        "data_header_only": (idx_bytes(8, [128, 28, 28], b""), "train-images-idx3-ubyte"),
    }
    for name, (data, _) in broken.items():
        dataset(name, images=data)
    dataset("data_label_count", labels=idx_bytes(8, [100], bytes(100)))
    dataset("data_label_range", labels=idx_bytes(8, [128], bytes([200] * 128)))
    dataset("data_label_dims", labels=idx_bytes(8, [128, 2], bytes(256)))
    dataset("data_bad_gzip", images=b"\x1f\x8b\x08\x00garbage", gz=True)
    os.makedirs(os.path.join(d, "data_missing"), exist_ok=True)
    t = "{trainer} --data={dir}/%s --epochs=1"
    for name, message in [
            ("data_empty_images", "train-images-idx3-ubyte"),
            ("data_bad_magic", "train-images-idx3-ubyte"),
            ("data_truncated", "train-images-idx3-ubyte"),
            ("data_wrong_size", "train-images-idx3-ubyte"),
            ("data_float_type", "train-images-idx3-ubyte"),
            ("data_header_only", "train-images-idx3-ubyte"),
            ("data_label_count", "train-labels-idx1-ubyte"),
            ("data_label_range", "label"),
            ("data_label_dims", "train-labels-idx1-ubyte"),
            ("data_bad_gzip", "train-images-idx3-ubyte.gz"),
            ("data_missing", "train-images-idx3-ubyte: not found (nor train-images-idx3-ubyte.gz)")]:
        case(name, 1, message, t % name)
    case("data_nowhere", 1, "{dir}/nowhere: cannot open data directory", "{trainer} --data={dir}/nowhere")


def trainer_flag_cases(d):
    flag_table("trainer_", "{trainer} --data={dir}/data_good FLAGS", [
            ("--epochs=0", "--epochs=0: expected a positive integer"),
            ("--epochs=x", "--epochs=x: expected a positive integer"),
            ("--epochs=99999999999999999999", "--epochs=99999999999999999999: expected a positive integer"),
            ("--lr=-1", "--lr=-1: expected a positive number"),
            ("--lr=nan", "--lr=nan: expected a positive number"),
            ("--lr=inf", "--lr=inf: expected a positive number"),
            ("--lr=", "--lr=: expected a positive number"),
            ("--threads=0", "--threads=0: expected a positive integer"),
            ("--limit-train=-5", "--limit-train=-5: expected a positive integer"),
            ("--bogus", "unknown option '--bogus' (see --help)"),
            ("--batch=3", "unknown option '--batch' (see --help)"),
            ("--resume={dir}/good.onnx", "checkpoint {dir}/good.onnx: not an mlc checkpoint (bad magic)"),
            ("--resume={dir}/nowhere.mlcckpt", "{dir}/nowhere.mlcckpt: no such checkpoint"),
            ("--evaluate", "--evaluate needs --resume=CKPT (the weights to use)")])


# The trainer's numeric flags, each given text: the one line names the flag.
NUMERIC_FLAGS = ["epochs", "lr", "momentum", "lr-decay", "alpha", "beta1", "beta2", "epsilon", "weight-decay",
                 "delta", "l1", "clip-norm", "clip-value", "label-smoothing", "seed", "limit-train", "limit-test",
                 "lr-step", "lr-gamma", "lr-min", "lr-period", "lr-t-mult", "warmup-steps", "warmup-start-factor",
                 "plateau-patience", "plateau-factor", "plateau-threshold", "val-split", "patience", "min-delta",
                 "checkpoint-every", "keep-checkpoints", "test-split", "threads", "max-loss",
                 "divergence-factor", "divergence-window"]
# Flags that take a name from a list, given one that is not.
NAMED_FLAGS = ["lr-schedule", "sampler", "missing", "unknown", "augment", "metrics", "early-stopping",
               "plateau-metric", "lr-milestones", "class-weights"]


def trainer_value_cases(d):
    t = "{trainer} --data={dir}/data_good "
    # A run that diverges (here: above an absolute bound) stops with exit 2 and says where.
    case("diverge_max_loss", 2, "training diverged at step 1: loss ", t + "--max-loss=0.01")
    for flag in NUMERIC_FLAGS:
        case("value_" + flag.replace("-", "_"), 1, "--" + flag, t + "--%s=abc" % flag)
    for flag in NAMED_FLAGS:
        case("name_" + flag.replace("-", "_"), 1, "--" + flag, t + "--%s=bogus" % flag)


def checkpoint_cases(d):
    """Checkpoints broken after run_cases.py writes a good one ({dir}/ck/good.mlcckpt); the broken
    copies are made there too, so here only the cases."""
    t = "{trainer} --data={dir}/data_good --evaluate --resume={dir}/ck/%s.mlcckpt"
    for name, message in [("ck_empty", "ck_empty.mlcckpt: "), ("ck_magic", "not an mlc checkpoint (bad magic)"),
                          ("ck_truncated", "truncated"), ("ck_flipped", "corrupted"),
                          ("ck_header", "ck_header.mlcckpt: ")]:
        case(name, 1, message, t % name)


def trainer_model(d):
    """The MLP the catalogue's trainer is compiled from: [64, 1, 28, 28] -> 10 classes."""
    save(d, "mlp", [helper.make_node("Flatten", ["x"], ["f"], name="flat"),
                    helper.make_node("Gemm", ["f", "w", "b"], ["y"], name="fc", transB=1)],
         [inp("x", [64, 1, 28, 28])], [inp("y", [64, 10])], [init("w", [10, 784], 0.01), init("b", [10])])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    a = p.parse_args()
    os.makedirs(os.path.join(a.dir, "out"), exist_ok=True)
    for build in (trainer_model, window_models, shape_models, structure_models, flag_cases, mlir_cases, data_cases,
                  trainer_flag_cases, trainer_value_cases, checkpoint_cases):
        build(a.dir)
    with open(os.path.join(a.dir, "cases.tsv"), "w") as f:
        for name, code, message, argv in CASES:
            f.write("%s\t%d\t%s\t%s\n" % (name, code, message, argv))
    print("wrote %d cases" % len(CASES))


if __name__ == "__main__":
    main()
