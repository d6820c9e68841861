// libFuzzer target: ONNX models through load, libonnx's check and shape inference, and mlc's import
// (the training view, as `mlc compile` imports). Structure-aware: inputs that parse as a ModelProto
// are mutated as models (dimensions, attributes, element types, graph edges, raw_data lengths,
// external-data paths, opsets, nodes dropped or repeated) and serialized back; others as bytes. The
// import must return a module or an error message, never crash, hang or trip a sanitizer.
#include "frontends/onnx/Importer.h"
#include "dialects/Mlc/MlcDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

#include <onnx/onnx_pb.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

int64_t pick(std::mt19937_64 &rng, int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); }

/// Values that break shape arithmetic: zero, negatives, and products past int64.
int64_t hostileInt(std::mt19937_64 &rng) {
  static const int64_t values[] = {0, -1, 1, 2, 3, 7, 64, -64, 1 << 20, INT32_MAX, int64_t(1) << 31,
                                   int64_t(1) << 40, int64_t(1) << 62, INT64_MAX, INT64_MIN};
  return rng() % 4 == 0 ? static_cast<int64_t>(rng()) : values[pick(rng, std::size(values))];
}

void mutateModel(onnx::ModelProto &m, std::mt19937_64 &rng) {
  onnx::GraphProto *g = m.mutable_graph();
  switch (pick(rng, 9)) {
  case 0: { // a dimension of an input, output or value_info
    std::vector<onnx::ValueInfoProto *> infos;
    for (auto &v : *g->mutable_input()) infos.push_back(&v);
    for (auto &v : *g->mutable_output()) infos.push_back(&v);
    for (auto &v : *g->mutable_value_info()) infos.push_back(&v);
    if (infos.empty()) return;
    auto *shape = infos[pick(rng, infos.size())]->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() == 0 || rng() % 5 == 0)
      shape->add_dim()->set_dim_value(hostileInt(rng));
    else
      shape->mutable_dim(pick(rng, shape->dim_size()))->set_dim_value(hostileInt(rng));
    return;
  }
  case 1: { // an integer attribute, or one element of an ints attribute
    if (g->node_size() == 0) return;
    auto *node = g->mutable_node(pick(rng, g->node_size()));
    if (node->attribute_size() == 0) {
      auto *a = node->add_attribute();
      static const char *names[] = {"strides", "kernel_shape", "pads", "axis", "group", "dilations", "perm"};
      a->set_name(names[pick(rng, std::size(names))]);
      a->set_type(onnx::AttributeProto::INTS);
      a->add_ints(hostileInt(rng));
      return;
    }
    auto *a = node->mutable_attribute(pick(rng, node->attribute_size()));
    if (a->ints_size() > 0)
      a->set_ints(pick(rng, a->ints_size()), hostileInt(rng));
    else
      a->set_i(hostileInt(rng));
    return;
  }
  case 2: { // an element type
    static const int types[] = {onnx::TensorProto::FLOAT, onnx::TensorProto::DOUBLE, onnx::TensorProto::INT64,
                                onnx::TensorProto::INT8, onnx::TensorProto::BOOL, onnx::TensorProto::STRING, 0, 99};
    if (g->initializer_size() > 0 && rng() % 2)
      g->mutable_initializer(pick(rng, g->initializer_size()))->set_data_type(types[pick(rng, std::size(types))]);
    else if (g->input_size() > 0)
      g->mutable_input(pick(rng, g->input_size()))->mutable_type()->mutable_tensor_type()->set_elem_type(
          types[pick(rng, std::size(types))]);
    return;
  }
  case 3: { // a graph edge: a node input renamed to another value
    if (g->node_size() == 0) return;
    auto *node = g->mutable_node(pick(rng, g->node_size()));
    if (node->input_size() == 0) return;
    std::vector<std::string> names{"", "nowhere"};
    for (const auto &n : g->node())
      for (const auto &o : n.output()) names.push_back(o);
    for (const auto &t : g->initializer()) names.push_back(t.name());
    node->set_input(pick(rng, node->input_size()), names[pick(rng, names.size())]);
    return;
  }
  case 4: { // raw_data of an initializer shortened or lengthened, or its dims changed
    if (g->initializer_size() == 0) return;
    auto *t = g->mutable_initializer(pick(rng, g->initializer_size()));
    if (rng() % 2 && t->dims_size() > 0) {
      t->set_dims(pick(rng, t->dims_size()), hostileInt(rng));
    } else {
      std::string raw = t->raw_data();
      raw.resize(rng() % 2 ? raw.size() / 2 : raw.size() + 4);
      t->set_raw_data(raw);
    }
    return;
  }
  case 5: { // external data with hostile paths, offsets and lengths (the model's directory: modelDir())
    if (g->initializer_size() == 0) return;
    auto *t = g->mutable_initializer(pick(rng, g->initializer_size()));
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    static const char *paths[] = {"../../../etc/passwd", "/etc/passwd", "w.bin", "", "a/../../b", "escape",
                                  "pipe", "sub", "sub/../w.bin", "./w.bin", "missing.bin"};
    static const char *counts[] = {"0", "4", "12", "60", "64", "-4", "1e3", "99999999999999999999", "", "4 "};
    static const char *keys[] = {"location", "offset", "length", "checksum"};
    auto *e = t->add_external_data();
    e->set_key(keys[pick(rng, std::size(keys))]);
    e->set_value(e->key() == "location" ? paths[pick(rng, std::size(paths))] : counts[pick(rng, std::size(counts))]);
    if (rng() % 2)
      t->clear_raw_data();
    return;
  }
  case 6: { // an opset version
    if (m.opset_import_size() == 0) m.add_opset_import();
    m.mutable_opset_import(0)->set_version(pick(rng, 25) - 2);
    return;
  }
  case 7: { // a node dropped
    if (g->node_size() == 0) return;
    g->mutable_node()->DeleteSubrange(static_cast<int>(pick(rng, g->node_size())), 1);
    return;
  }
  default: { // a node repeated (its outputs then defined twice, or a new op)
    if (g->node_size() == 0) return;
    *g->add_node() = g->node(pick(rng, g->node_size()));
    return;
  }
  }
}

/// This process's model directory, made once: 64 bytes of external data (w.bin), a symbolic link
/// out of the directory (escape), a FIFO (pipe: opening it for reading would hang) and a
/// subdirectory (sub).
const std::string &modelDir() {
  static const std::string dir = [] {
    std::string d = "/tmp/mlc_onnx_fuzz_" + std::to_string(getpid());
    ::mkdir(d.c_str(), 0700);
    ::mkdir((d + "/sub").c_str(), 0700);
    if (FILE *f = std::fopen((d + "/w.bin").c_str(), "wb")) {
      float w[16];
      for (int i = 0; i < 16; ++i) w[i] = 0.25f * static_cast<float>(i);
      std::fwrite(w, sizeof(float), 16, f);
      std::fclose(f);
    }
    (void)::symlink("/etc/passwd", (d + "/escape").c_str());
    (void)::mkfifo((d + "/pipe").c_str(), 0600);
    return d;
  }();
  return dir;
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize, unsigned seed) {
  onnx::ModelProto m;
  std::mt19937_64 rng(seed);
  if (rng() % 8 == 0 || !m.ParseFromArray(data, static_cast<int>(size)))
    return LLVMFuzzerMutate(data, size, maxSize);
  for (int k = 1 + pick(rng, 3); k > 0; --k)
    mutateModel(m, rng);
  std::string out;
  if (!m.SerializeToString(&out) || out.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::copy(out.begin(), out.end(), data);
  return out.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *ctx = [] {
    auto *c = new mlir::MLIRContext();
    c->loadDialect<mlc::MlcDialect, mlir::func::FuncDialect, mlir::arith::ArithDialect>();
    c->disableMultithreading();
    return c;
  }();
  // The importer reads a path; external data resolves in its directory: one per fuzzing process.
  static const std::string path = modelDir() + "/model.onnx";
  if (FILE *f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  std::string error;
  mlc::OnnxImportOptions options;
  options.batch = 2; // small: a fuzzed model's size is its shapes, not the batch
  (void)mlc::importOnnxModel(path, *ctx, options, error);
  return 0;
}
