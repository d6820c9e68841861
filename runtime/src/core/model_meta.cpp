// Strict parser for the metadata text: the compiler and runtime must agree exactly, so anything odd is an error.
#include "core/model_meta.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/error.h"
#include "mlc_names.h"
#include "mlc_runtime.h"

namespace mlc {
namespace {

// Guards the element-count arithmetic; no real model comes near it.
constexpr std::size_t kMaxElements = std::size_t(1) << 40;

using names::index_of;

// "a, b or c" from a name list, for messages.
template <unsigned long N>
std::string alternatives(const char* const (&list)[N]) {
  std::string out;
  for (unsigned long i = 0; i < N; ++i) out += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + list[i];
  return out;
}

class LineError {
 public:
  LineError(std::size_t line) : line_(line) {}
  [[noreturn]] void operator()(const std::string& what) const {
    throw Error("model metadata line " + std::to_string(line_) + ": " + what);
  }

 private:
  std::size_t line_;
};

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

// A 64-bit count (FLOPs, bytes), unbounded by kMaxElements.
std::uint64_t parse_count(std::string_view text, const char* what, const LineError& fail) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    fail(std::string(what) + " must be a non-negative integer, got '" + std::string(text) + "'");
  }
  return v;
}

std::size_t parse_size(std::string_view text, const char* what, bool allow_zero, const LineError& fail) {
  unsigned long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > kMaxElements || (!allow_zero && v == 0)) {
    fail(std::string(what) + " must be a " + (allow_zero ? "non-negative" : "positive") + " integer, got '" +
         std::string(text) + "'");
  }
  return static_cast<std::size_t>(v);
}

std::size_t product(const std::vector<std::size_t>& dims) {
  std::size_t n = 1;
  for (std::size_t d : dims) n *= d;
  return n;
}

std::vector<std::size_t> parse_dims(const std::vector<std::string_view>& f, std::size_t first, const LineError& fail) {
  std::vector<std::size_t> dims;
  std::size_t n = 1;
  for (std::size_t i = first; i < f.size(); ++i) {
    dims.push_back(parse_size(f[i], "dimension", false, fail));
    if (dims.back() > kMaxElements / n) fail("shape has too many elements");
    n *= dims.back();
  }
  return dims;
}

// `<name> <dtype> <dims...>` as used by input, label and output.
TensorMeta parse_tensor(const std::vector<std::string_view>& f, const char* dtype, const LineError& fail) {
  if (f.size() < 4) fail(std::string(f[0]) + " needs a name, a dtype and at least one dimension");
  if (f[2] != dtype) fail(std::string(f[0]) + " dtype must be " + dtype + ", got '" + std::string(f[2]) + "'");
  TensorMeta t;
  t.name = std::string(f[1]);
  t.dims = parse_dims(f, 3, fail);
  return t;
}

}  // namespace

// The enums follow the order of the name lists in mlc_names.h.
const char* loss_name(LossKind loss) { return names::kLosses[static_cast<int>(loss)]; }
const char* reduction_name(Reduction reduction) { return names::kReductions[static_cast<int>(reduction)]; }
bool is_binary_loss(LossKind loss) { return loss == LossKind::BceLogits || loss == LossKind::Bce; }
const char* optimizer_name(OptimizerKind optimizer) { return names::kOptimizers[static_cast<int>(optimizer)]; }
const char* target_name(Target target) { return names::kTargets[static_cast<int>(target)]; }

std::size_t TensorMeta::elements() const { return product(dims); }
std::size_t ParamMeta::elements() const { return product(dims); }
std::vector<std::size_t> ParamMeta::model_dims() const {
  if (layout.empty()) return dims;
  std::vector<std::size_t> model(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) model[layout[i]] = dims[i];
  return model;
}

std::size_t ModelMeta::param_count() const {
  std::size_t n = 0;
  for (const ParamMeta& p : params) n += p.elements();
  return n;
}

bool ModelMeta::has_hyper(std::string_view name) const {
  return std::find(hypers.begin(), hypers.end(), name) != hypers.end();
}

ModelMeta parse_model_meta(std::string_view text) {
  ModelMeta meta;
  std::map<std::string, std::size_t> seen;  // record -> line, for one-of records
  std::size_t line_no = 0;
  bool first_record = true;

  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    const LineError fail(line_no);
    std::vector<std::string_view> f = split_fields(line);
    if (f.empty()) continue;
    const std::string key(f[0]);

    if (first_record && key != names::kRecordVersion) fail("expected 'mlc-model 1' first, got '" + key + "'");
    first_record = false;
    if (key != names::kRecordParam && key != names::kRecordBuffer && key != names::kRecordProfileOp &&
        key != names::kRecordParamLayout) {
      auto [it, inserted] = seen.emplace(key, line_no);
      if (!inserted) fail("duplicate '" + key + "' record (first on line " + std::to_string(it->second) + ")");
    }

    auto want_args = [&](std::size_t n) {
      if (f.size() != n + 1) {
        fail("'" + key + "' takes " + std::to_string(n) + " field" + (n == 1 ? "" : "s") + ", got " +
             std::to_string(f.size() - 1));
      }
    };

    if (key == names::kRecordVersion) {
      want_args(1);
      std::size_t v = parse_size(f[1], "version", false, fail);
      if (v != MLC_ABI_VERSION) {
        fail("unsupported metadata version " + std::to_string(v) + " (this runtime reads version " +
             std::to_string(MLC_ABI_VERSION) + ")");
      }
      meta.version = static_cast<int>(v);
    } else if (key == names::kRecordTarget) {
      want_args(1);
      const int i = index_of(names::kTargets, f[1]);
      if (i < 0) fail("unknown target '" + std::string(f[1]) + "' (expected " + alternatives(names::kTargets) + ")");
      meta.target = static_cast<Target>(i);
    } else if (key == names::kRecordBatch) {
      want_args(1);
      meta.batch = parse_size(f[1], "batch", false, fail);
    } else if (key == names::kRecordLoss) {
      want_args(1);
      const int i = index_of(names::kLosses, f[1]);
      if (i < 0) fail("unknown loss '" + std::string(f[1]) + "' (expected " + alternatives(names::kLosses) + ")");
      meta.loss = static_cast<LossKind>(i);
    } else if (key == names::kRecordReduction) {
      want_args(1);
      const int i = index_of(names::kReductions, f[1]);
      if (i < 0) fail("unknown reduction '" + std::string(f[1]) + "' (expected " + alternatives(names::kReductions) + ")");
      meta.reduction = static_cast<Reduction>(i);
    } else if (key == names::kRecordOptimizer) {
      want_args(1);
      const int i = index_of(names::kOptimizers, f[1]);
      if (i < 0) {
        fail("unknown optimizer '" + std::string(f[1]) + "' (expected " + alternatives(names::kOptimizers) + ")");
      }
      meta.optimizer = static_cast<OptimizerKind>(i);
    } else if (key == names::kRecordInput) {
      // f32 samples, or i32 token ids (a model whose input feeds an embedding's Gather).
      if (f.size() > 2 && f[2] != "f32" && f[2] != "i32") {
        fail("input dtype must be f32 or i32, got '" + std::string(f[2]) + "'");
      }
      meta.token_input = f.size() > 2 && f[2] == "i32";
      meta.input = parse_tensor(f, meta.token_input ? "i32" : "f32", fail);
    } else if (key == names::kRecordLabel) {
      // i32 class indices or f32 targets.
      if (f.size() > 2 && f[2] != "f32" && f[2] != "i32") {
        fail("label dtype must be i32 or f32, got '" + std::string(f[2]) + "'");
      }
      meta.class_labels = !(f.size() > 2 && f[2] == "f32");
      meta.label = parse_tensor(f, meta.class_labels ? "i32" : "f32", fail);
    } else if (key == names::kRecordClassWeights) {
      want_args(2);
      if (f[1] != "f32") fail("class_weights dtype must be f32, got '" + std::string(f[1]) + "'");
      meta.class_weights = parse_size(f[2], "class_weights count", false, fail);
    } else if (key == names::kRecordOutput) {
      meta.output = parse_tensor(f, "f32", fail);
    } else if (key == names::kRecordState) {
      want_args(1);
      meta.state_slots = parse_size(f[1], "state", true, fail);
    } else if (key == names::kRecordHyper) {
      for (std::size_t i = 1; i < f.size(); ++i) {
        const std::string name(f[i]);
        if (index_of(names::kHypers, name) < 0) {
          std::string known;
          for (const char* h : names::kHypers) known += std::string(known.empty() ? "" : " ") + h;
          fail("unknown hyperparameter '" + name + "' (known: " + known + ")");
        }
        if (meta.has_hyper(name)) fail("hyperparameter '" + name + "' listed twice");
        meta.hypers.push_back(name);
      }
    } else if (key == names::kRecordParam || key == names::kRecordBuffer) {
      if (f.size() < 4) fail(key + " needs a name, a dtype and an offset");
      if (f[2] != "f32") fail(key + " dtype must be f32, got '" + std::string(f[2]) + "'");
      ParamMeta p;
      p.name = std::string(f[1]);
      for (const auto* list : {&meta.params, &meta.buffers}) {
        for (const ParamMeta& q : *list) {
          if (q.name == p.name) fail("'" + p.name + "' listed twice");
        }
      }
      p.offset = parse_size(f[3], key == names::kRecordParam ? "param offset" : "buffer offset", true, fail);
      p.dims = parse_dims(f, 4, fail);
      (key == names::kRecordParam ? meta.params : meta.buffers).push_back(std::move(p));
    } else if (key == names::kRecordParamLayout) {
      // After its param: a permutation of the param's dimensions.
      if (f.size() < 3) fail(key + " needs a param name and a permutation");
      if (meta.params.empty() || meta.params.back().name != f[1] || !meta.buffers.empty()) {
        fail(key + " '" + std::string(f[1]) + "' does not follow its param record");
      }
      ParamMeta& p = meta.params.back();
      if (!p.layout.empty()) fail("'" + p.name + "' has two layouts");
      if (f.size() - 2 != p.dims.size()) {
        fail(key + " '" + p.name + "' has " + std::to_string(f.size() - 2) + " dimensions, its param " +
             std::to_string(p.dims.size()));
      }
      std::vector<bool> used(p.dims.size(), false);
      for (std::size_t i = 2; i < f.size(); ++i) {
        std::size_t d = parse_size(f[i], "layout dimension", true, fail);
        if (d >= p.dims.size() || used[d]) fail(key + " '" + p.name + "' is not a permutation of its dimensions");
        used[d] = true;
        p.layout.push_back(d);
      }
    } else if (key == names::kRecordProfileOp) {
      want_args(3);
      if (index_of(names::kOpGroups, f[1]) < 0) {
        fail("unknown op group '" + std::string(f[1]) + "' (expected " + alternatives(names::kOpGroups) + ")");
      }
      ModelMeta::ProfileOp op;
      op.group = std::string(f[1]);
      op.flops = parse_count(f[2], "profile_op flops", fail);
      op.bytes = parse_count(f[3], "profile_op bytes", fail);
      meta.profile_ops.push_back(std::move(op));
    } else if (key == names::kRecordWorkspace) {
      want_args(2);
      meta.workspace_train = parse_size(f[1], "workspace train bytes", true, fail);
      meta.workspace_eval = parse_size(f[2], "workspace eval bytes", true, fail);
    } else {
      fail("unknown record '" + key + "'");
    }
  }

  auto missing = [](const std::string& what) -> Error { return Error("model metadata: missing '" + what + "' record"); };
  for (const char* key : {names::kRecordVersion, names::kRecordBatch, names::kRecordLoss, names::kRecordOptimizer,
                          names::kRecordInput, names::kRecordLabel, names::kRecordOutput, names::kRecordState,
                          names::kRecordHyper, names::kRecordWorkspace}) {
    if (!seen.count(key)) throw missing(key);
  }
  if (meta.params.empty()) throw missing(names::kRecordParam);

  auto bad = [&](const std::string& key, const std::string& what) -> Error {
    return Error("model metadata line " + std::to_string(seen[key]) + ": " + what);
  };
  const std::string batch = std::to_string(meta.batch);
  if (meta.input.dims[0] != meta.batch) {
    throw bad("input", "input's first dimension is " + std::to_string(meta.input.dims[0]) + ", not the batch " + batch);
  }
  const bool class_loss = meta.loss == LossKind::CrossEntropy || meta.loss == LossKind::Nll;
  if (class_loss != meta.class_labels) {
    throw bad("label", std::string("loss ") + loss_name(meta.loss) + " takes " +
                           (class_loss ? "i32 class indices" : "f32 targets") + " as its label");
  }
  if (meta.class_labels) {
    if (meta.label.dims[0] != meta.batch || meta.label.elements() != meta.batch) {
      throw bad("label", "label must hold one class index per sample (" + batch + " values)");
    }
    if (meta.output.dims.size() < 2 || meta.output.dims[0] != meta.batch ||
        meta.output.elements() != meta.batch * meta.output.dims.back()) {
      throw bad("output", "output must be [batch, classes] (with batch " + batch + ")");
    }
  } else {
    if (meta.output.dims[0] != meta.batch) {
      throw bad("output", "output's first dimension is " + std::to_string(meta.output.dims[0]) + ", not the batch " + batch);
    }
    if (meta.label.dims != meta.output.dims) throw bad("label", "a float label must have the output's shape");
  }

  if (meta.class_weights && meta.class_weights != meta.classes()) {
    throw bad(names::kRecordClassWeights, "the loss takes " + std::to_string(meta.class_weights) +
                                              " class weights for a model with " + std::to_string(meta.classes()) +
                                              " classes");
  }
  if (meta.class_weights && meta.loss != LossKind::CrossEntropy && meta.loss != LossKind::Nll &&
      !is_binary_loss(meta.loss)) {
    throw bad(names::kRecordClassWeights, std::string("loss ") + loss_name(meta.loss) + " takes no class weights");
  }

  std::vector<const ParamMeta*> by_offset;
  for (const ParamMeta& p : meta.params) by_offset.push_back(&p);
  for (const ParamMeta& p : meta.buffers) by_offset.push_back(&p);
  std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
  for (std::size_t i = 0; i + 1 < by_offset.size(); ++i) {
    if (by_offset[i]->offset + by_offset[i]->elements() > by_offset[i + 1]->offset) {
      throw Error("model metadata: '" + by_offset[i]->name + "' and '" + by_offset[i + 1]->name +
                  "' overlap in mlc_param_init");
    }
  }
  return meta;
}

}  // namespace mlc
