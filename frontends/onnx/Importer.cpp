// Loads an ONNX model with libonnx (parse, check, infer shapes) and builds @forward in mlc ops.
#include "frontends/onnx/Importer.h"
#include "dialects/Mlc/StepSignature.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/ExternalData.h"
#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/StaticInputs.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/Validate.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <fstream>
#include <set>
#include <map>

using namespace mlir;
using namespace mlc::onnx_import;

namespace {

llvm::StringMap<OpConverter> &converters() {
  static llvm::StringMap<OpConverter> table = [] {
    llvm::StringMap<OpConverter> t;
    registerLinearOps(t);
    registerElementwiseOps(t);
    registerShapeOps(t);
    registerSoftmaxOps(t);
    registerActivationOps(t);
    registerReduceOps(t);
    registerConvOps(t);
    registerPoolOps(t);
    registerDropoutOps(t);
    registerSlicePadOps(t);
    registerReplicateOps(t);
    registerWhereOps(t);
    registerSequenceOps(t);
    registerResizeOps(t);
    registerIndexOps(t);
    registerEinsumOps(t);
    registerNormalizationOps(t);
    registerGatherOps(t);
    registerLossOps(t);
    registerTrainingOps(t);
    return t;
  }();
  return table;
}

class GraphImporter {
public:
  GraphImporter(MLIRContext &ctx, llvm::StringRef path, const mlc::OnnxImportOptions &options)
      : ctx(ctx), b(&ctx), path(path.str()), options(options) {}

  OwningOpRef<ModuleOp> run(onnx::ModelProto &model) {
    for (const auto &opset : model.opset_import()) {
      if (opset.domain() == kTrainingDomain)
        continue;
      if (!opset.domain().empty() && opset.domain() != "ai.onnx")
        throw ImportError{"opset domain '" + opset.domain() + "' is not supported"};
      opsetVersion = opset.version();
    }
    const onnx::GraphProto &graph = model.graph();
    OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
    b.setInsertionPointToEnd(module->getBody());

    if (!options.wholeGraph)
      collectBufferNames(graph);
    collectInitializers(graph);
    if (options.wholeGraph)
      buildGraphFunction(graph);
    else
      buildForward(graph);
    if (failed(verify(*module)))
      throw ImportError{"internal error: the imported module does not verify"};
    return module;
  }

private:
  /// @forward(params..., input) -> output: the training view of a one-input, one-output model.
  func::FuncOp buildForward(const onnx::GraphProto &graph) {
    const onnx::ValueInfoProto &input = modelInput(graph);
    if (graph.output_size() != 1)
      throw ImportError{"the model must have exactly one output, it has " +
                        std::to_string(graph.output_size())};

    // @forward(params..., input): parameters first, in initializer order.
    SmallVector<Type> argTypes;
    SmallVector<DictionaryAttr> argAttrs;
    for (const Param &p : params) {
      argTypes.push_back(p.type);
      StringRef role = bufferNames.count(p.name) ? mlc::attr::kBuffer : mlc::attr::kParam;
      argAttrs.push_back(b.getDictionaryAttr(
          {b.getNamedAttr(role, b.getStringAttr(p.name)),
           b.getNamedAttr(mlc::attr::kInitializer, p.init)}));
    }
    argTypes.push_back(inputType(input));
    argAttrs.push_back(
        b.getDictionaryAttr(b.getNamedAttr(mlc::attr::kInput, b.getStringAttr(input.name()))));
    auto func = b.create<func::FuncOp>(fileLoc(), "forward", b.getFunctionType(argTypes, {}));
    func.setAllArgAttrs(argAttrs);
    Block *entry = func.addEntryBlock();
    for (auto [i, p] : llvm::enumerate(params))
      values[p.name] = entry->getArgument(i);
    values[input.name()] = entry->getArgument(params.size());

    b.setInsertionPointToStart(entry);
    forward = func;
    for (const onnx::NodeProto &node : graph.node())
      importNode(node);

    const std::string &outName = graph.output(0).name();
    Value out = values.lookup(outName);
    if (!out)
      throw ImportError{"the model output '" + outName + "' is not a float tensor computed by the graph"};
    // Then the training step's new value of every buffer, named by mlc.buffer.
    SmallVector<Value> results{out};
    for (const Param &p : params) {
      if (!bufferNames.count(p.name))
        continue;
      Value updated = bufferUpdates.lookup(p.name);
      if (!updated)
        throw ImportError{"internal error: the training step computes no new value of '" + p.name + "'"};
      results.push_back(updated);
    }
    b.create<func::ReturnOp>(fileLoc(), results);
    func.setFunctionType(b.getFunctionType(func.getArgumentTypes(), ValueRange(results).getTypes()));
    func.setResultAttr(0, mlc::attr::kOutput, b.getStringAttr(outName));
    unsigned r = 1;
    for (const Param &p : params)
      if (bufferNames.count(p.name))
        func.setResultAttr(r++, mlc::attr::kBuffer, b.getStringAttr(p.name));
    return func;
  }

  /// The training view's buffers: the running statistics of every BatchNormalization, which the
  /// train step updates and evaluation reads, but the optimizer does not train.
  void collectBufferNames(const onnx::GraphProto &graph) {
    for (const onnx::NodeProto &node : graph.node())
      if (node.op_type() == "BatchNormalization" && (node.domain().empty() || node.domain() == "ai.onnx"))
        for (int i : {3, 4})
          if (i < node.input_size())
            bufferNames.insert(node.input(i));
  }

  std::string updateBuffer(const std::string &name, Value value) {
    if (!bufferNames.count(name) || !llvm::any_of(params, [&](const Param &p) { return p.name == name; }))
      return "'" + name + "' must be a float initializer (model state the training step updates)";
    if (!bufferUpdates.try_emplace(name, value).second)
      return "'" + name + "' is updated by two nodes; each running statistic needs its own initializer";
    return "";
  }

  /// The runtime scalar `name` of @forward, appended as an argument on first use.
  Value hyperArgument(StringRef name) {
    if (Value v = hyperArgs.lookup(name))
      return v;
    unsigned index = forward.getNumArguments();
    auto dict = b.getDictionaryAttr(b.getNamedAttr(mlc::attr::kHyper, b.getStringAttr(name)));
    forward.insertArgument(index, RankedTensorType::get({}, b.getF32Type()), dict, fileLoc());
    return hyperArgs[name] = forward.getArgument(index);
  }

  /// @forward(inputs...) -> (outputs...) with the initializers as constants.
  func::FuncOp buildGraphFunction(const onnx::GraphProto &graph) {
    SmallVector<Type> argTypes;
    SmallVector<const onnx::ValueInfoProto *> inputs;
    for (const onnx::ValueInfoProto &in : graph.input()) {
      if (intConstants.count(in.name()) || constants.count(in.name()))
        continue;
      inputs.push_back(&in);
      argTypes.push_back(staticTensorType(in));
    }
    auto func = b.create<func::FuncOp>(fileLoc(), "forward", b.getFunctionType(argTypes, {}));
    Block *entry = func.addEntryBlock();
    b.setInsertionPointToStart(entry);
    for (auto [i, in] : llvm::enumerate(inputs)) {
      values[in->name()] = entry->getArgument(i);
      func.setArgAttr(i, mlc::attr::kInput, b.getStringAttr(in->name()));
      if (in->type().tensor_type().elem_type() == onnx::TensorProto::BOOL)
        registerBooleanInput(in->name(), entry->getArgument(i));
    }
    for (auto &[name, attr] : constants)
      values[name] = b.create<arith::ConstantOp>(fileLoc(), attr);
    for (const onnx::NodeProto &node : graph.node())
      importNode(node);
    SmallVector<Value> results;
    for (const onnx::ValueInfoProto &out : graph.output()) {
      Value v = values.lookup(out.name());
      auto folded = intConstants.find(out.name());
      if (!v && folded != intConstants.end()) {
        // An output folded at import (a Shape, say): a constant of ONNX's int64.
        auto type = RankedTensorType::get(folded->second.shape, b.getI64Type());
        v = b.create<arith::ConstantOp>(
            fileLoc(), DenseElementsAttr::get(type, llvm::ArrayRef<int64_t>(folded->second.values)));
      }
      if (!v && predicates.count(out.name()))
        v = booleanOutput(out.name());
      if (!v)
        throw ImportError{"the graph output '" + out.name() + "' is not a tensor computed by the graph"};
      results.push_back(v);
    }
    b.create<func::ReturnOp>(fileLoc(), results);
    func.setFunctionType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
    for (auto [i, out] : llvm::enumerate(graph.output()))
      func.setResultAttr(i, mlc::attr::kOutput, b.getStringAttr(out.name()));
    return func;
  }

  /// A boolean graph input (0/1 in int32), or a boolean moved as float 0/1, as the predicate
  /// `value > 0.5`.
  void registerBooleanInput(const std::string &name, Value value) {
    auto p = std::make_shared<Predicate>();
    p->kind = Predicate::Kind::Greater;
    p->lhs = value;
    auto scalar = RankedTensorType::get({}, b.getF32Type());
    p->rhs = b.create<arith::ConstantOp>(fileLoc(), scalar, DenseElementsAttr::get(scalar, 0.5f));
    p->shape.assign(cast<RankedTensorType>(value.getType()).getShape().begin(),
                    cast<RankedTensorType>(value.getType()).getShape().end());
    predicates[name] = p;
  }

  /// A boolean graph output: float32 1 where true, 0 where false (a Cast to float of it).
  Value booleanOutput(const std::string &name) { return values.lookup(booleanAsFloat(name)); }

  /// Boolean value `name` as float32 0/1, made once; returns the name it has as a float.
  std::string booleanAsFloat(const std::string &name) {
    std::string asFloat = "output '" + name + "' as float";
    if (values.count(asFloat))
      return asFloat;
    onnx::NodeProto cast;
    cast.set_name(name);
    cast.set_op_type("Cast");
    cast.add_input(name);
    cast.add_output(asFloat);
    NodeContext nc(b, cast, fileLoc(), opsetVersion, values, intConstants);
    nc.predicates = &predicates;
    importPredicateCast(nc, b.getF32Type());
    return asFloat;
  }

  RankedTensorType staticTensorType(const onnx::ValueInfoProto &value) {
    const auto &tt = value.type().tensor_type();
    if (!value.type().has_tensor_type())
      throw ImportError{"input '" + value.name() + "' is not a tensor"};
    Type element;
    switch (tt.elem_type()) {
    case onnx::TensorProto::FLOAT:
      element = b.getF32Type();
      break;
    case onnx::TensorProto::DOUBLE:
      element = b.getF64Type();
      break;
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::BOOL: // 0/1 in int32 (mlc has no boolean tensors; see registerBooleanInput)
      element = b.getI32Type();
      break;
    case onnx::TensorProto::INT64:
      element = b.getI64Type();
      break;
    default:
      throw ImportError{"input '" + value.name() + "' has an unsupported element type (" +
                        onnx::TensorProto::DataType_Name(
                            static_cast<onnx::TensorProto::DataType>(tt.elem_type())) + ")"};
    }
    SmallVector<int64_t> shape;
    for (const auto &d : tt.shape().dim()) {
      if (!d.has_dim_value())
        throw ImportError{"input '" + value.name() + "' has a symbolic dimension"};
      shape.push_back(d.dim_value());
    }
    return RankedTensorType::get(shape, element);
  }

  struct Param {
    std::string name;
    RankedTensorType type;
    Attribute init;
  };

  Location fileLoc() { return FileLineColLoc::get(&ctx, path, 0, 0); }

  /// A FLOAT or DOUBLE tensor as an f32/f64 constant; null (with `error`) on bad data.
  DenseElementsAttr floatConstant(const onnx::TensorProto &t, std::string &error) {
    if (t.data_type() == onnx::TensorProto::DOUBLE) {
      auto data = doubleValues(t, error);
      if (!data)
        return {};
      auto type = RankedTensorType::get(tensorDims(t), b.getF64Type());
      return DenseElementsAttr::get(type, llvm::ArrayRef<double>(*data));
    }
    auto data = floatValues(t, error);
    if (!data)
      return {};
    auto type = RankedTensorType::get(tensorDims(t), b.getF32Type());
    return DenseElementsAttr::get(type, llvm::ArrayRef<float>(*data));
  }

  // Float initializers are trainable parameters (or buffers, see collectBufferNames); integer ones
  // are import-time constants.
  void collectInitializers(const onnx::GraphProto &graph) {
    for (const onnx::TensorProto &t : graph.initializer()) {
      std::string error;
      bool isFloat = t.data_type() == onnx::TensorProto::FLOAT || t.data_type() == onnx::TensorProto::DOUBLE;
      if (isFloat && options.wholeGraph) {
        DenseElementsAttr attr = floatConstant(t, error);
        if (!attr)
          throw ImportError{error};
        constants[t.name()] = attr;
      } else if (t.data_type() == onnx::TensorProto::DOUBLE) {
        // float64 serves whole-graph runs (conformance, per-op gradient parity) only.
        throw ImportError{"initializer '" + t.name() + "' is float64; trainable parameters must be float32"};
      } else if (t.data_type() == onnx::TensorProto::FLOAT) {
        auto data = floatValues(t, error);
        if (!data)
          throw ImportError{error};
        auto type = RankedTensorType::get(tensorDims(t), b.getF32Type());
        // An empty tensor (a Resize's unused roi) has no data to copy: memcpy from null is undefined.
        auto blob = data->empty() ? HeapAsmResourceBlob::allocate(0, alignof(float))
                                  : HeapAsmResourceBlob::allocateAndCopyInferAlign<float>(*data);
        auto init = DenseF32ResourceElementsAttr::get(type, "param_" + sanitize(t.name()), std::move(blob));
        params.push_back({t.name(), type, init});
      } else if (t.data_type() == onnx::TensorProto::INT64 || t.data_type() == onnx::TensorProto::INT32 ||
                 t.data_type() == onnx::TensorProto::BOOL) { // BOOL: a constant mask for Where
        auto data = intValues(t, error);
        if (!data)
          throw ImportError{error};
        intConstants[t.name()] = {tensorDims(t), *data};
      } else {
        throw ImportError{"initializer '" + t.name() + "' has an unsupported element type (" +
                          onnx::TensorProto::DataType_Name(
                              static_cast<onnx::TensorProto::DataType>(t.data_type())) + ")"};
      }
    }
  }

  static std::string sanitize(const std::string &name) {
    std::string s;
    for (char c : name)
      s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return s;
  }

  const onnx::ValueInfoProto &modelInput(const onnx::GraphProto &graph) {
    const onnx::ValueInfoProto *found = nullptr;
    for (const onnx::ValueInfoProto &in : graph.input()) {
      bool isInit = intConstants.count(in.name()) ||
                    llvm::any_of(params, [&](const Param &p) { return p.name == in.name(); });
      if (isInit)
        continue;
      if (found)
        throw ImportError{"the model has more than one data input ('" + found->name() + "', '" +
                          in.name() + "'); one is supported"};
      found = &in;
    }
    if (!found)
      throw ImportError{"the model has no data input"};
    return *found;
  }

  RankedTensorType inputType(const onnx::ValueInfoProto &input) {
    const auto &tt = input.type().tensor_type();
    bool integer = tt.elem_type() == onnx::TensorProto::INT64 || tt.elem_type() == onnx::TensorProto::INT32;
    if (!input.type().has_tensor_type() || (tt.elem_type() != onnx::TensorProto::FLOAT && !integer))
      throw ImportError{"input '" + input.name() + "' must be a float32 tensor (or integer token ids)"};
    if (!tt.has_shape() || tt.shape().dim_size() == 0)
      throw ImportError{"input '" + input.name() + "' has no shape"};
    SmallVector<int64_t> shape;
    for (int i = 0; i < tt.shape().dim_size(); ++i) {
      const auto &d = tt.shape().dim(i);
      bool known = d.has_dim_value() && d.dim_value() > 0;
      if (i == 0) {
        if (options.batch > 0)
          shape.push_back(options.batch);
        else if (known)
          shape.push_back(d.dim_value());
        else
          throw ImportError{"input '" + input.name() + "' has a symbolic batch dimension: set it with --batch"};
        continue;
      }
      if (d.has_dim_value() && d.dim_value() <= 0)
        throw ImportError{"input '" + input.name() + "' dimension " + std::to_string(i) + " is " +
                          std::to_string(d.dim_value()) + "; dimensions must be positive"};
      if (!known)
        throw ImportError{"input '" + input.name() + "' dimension " + std::to_string(i) +
                          " is not static; only the batch dimension may be symbolic"};
      shape.push_back(d.dim_value());
    }
    // Token ids (an embedding's Gather indices) arrive as i32 whatever ONNX's integer width: the
    // trainer feeds the data file's values as they are.
    return RankedTensorType::get(shape, integer ? Type(b.getI32Type()) : Type(b.getF32Type()));
  }

  void importNode(const onnx::NodeProto &node) {
    bool standard = node.domain().empty() || node.domain() == "ai.onnx";
    if (!standard && node.domain() != kTrainingDomain)
      throw ImportError{nodeLabel(node) + ": domain '" + node.domain() + "' is not supported"};
    Location loc = NameLoc::get(b.getStringAttr(node.name().empty() ? node.op_type() : node.name()),
                                fileLoc());
    NodeContext nc(b, node, loc, opsetVersion, values, intConstants);
    nc.convAlgorithm = options.convAlgorithm;
    nc.predicates = &predicates;
    if (forward) {
      nc.hypers = [this](StringRef name) { return hyperArgument(name); };
      nc.bufferUpdates = [this](const std::string &name, Value v) { return updateBuffer(name, v); };
    }
    if (node.op_type() == "Constant")
      return importConstant(nc);
    if (foldIntegerNode(nc))
      return;
    auto it = converters().find(standard ? node.op_type() : node.domain() + "/" + node.op_type());
    if (it == converters().end())
      nc.fail("op type '" + node.op_type() + "'" + (standard ? "" : " of domain '" + node.domain() + "'") +
              " is not supported");
    if (standard && movesBooleans(node))
      return importOnBooleans(node, it->second, loc);
    it->second(nc);
  }

  /// Whether `node` rearranges boolean values (PyTorch's key_padding_mask reshaped and expanded
  /// per head before its masked_fill): a shape op with a predicate among its inputs.
  bool movesBooleans(const onnx::NodeProto &node) {
    static const std::set<std::string> kShapeOps = {"Reshape", "Unsqueeze", "Squeeze", "Expand", "Transpose",
                                                    "Flatten", "Tile", "Slice", "Concat", "Gather"};
    return kShapeOps.count(node.op_type()) &&
           llvm::any_of(node.input(), [&](const std::string &in) { return predicates.count(in) > 0; });
  }

  /// The shape op on the booleans as float 0/1; its results booleans again (> 0.5).
  void importOnBooleans(const onnx::NodeProto &node, OpConverter convert, Location loc) {
    onnx::NodeProto onFloats = node;
    for (int i = 0; i < onFloats.input_size(); ++i)
      if (predicates.count(onFloats.input(i)))
        onFloats.set_input(i, booleanAsFloat(onFloats.input(i)));
    for (int k = 0; k < onFloats.output_size(); ++k)
      if (!onFloats.output(k).empty())
        onFloats.set_output(k, "output '" + node.output(k) + "' as float");
    NodeContext nc(b, onFloats, loc, opsetVersion, values, intConstants);
    nc.predicates = &predicates;
    convert(nc);
    for (int k = 0; k < node.output_size(); ++k)
      if (Value v = values.lookup(onFloats.output(k)))
        registerBooleanInput(node.output(k), v);
  }

  void importConstant(NodeContext &nc) {
    nc.expect({"value"}, 0, 0);
    const onnx::AttributeProto *value = nc.attr("value");
    if (!value || !value->has_t())
      nc.fail("only the 'value' form of Constant is supported");
    const onnx::TensorProto &t = value->t();
    std::string error;
    if (t.data_type() == onnx::TensorProto::FLOAT || t.data_type() == onnx::TensorProto::DOUBLE) {
      DenseElementsAttr attr = floatConstant(t, error);
      if (!attr)
        nc.fail(error);
      nc.setOutput(0, b.create<arith::ConstantOp>(nc.loc, attr.getType(), attr));
      return;
    }
    auto data = intValues(t, error);
    if (!data)
      nc.fail(error);
    intConstants[nc.node.output(0)] = {tensorDims(t), *data};
  }

  MLIRContext &ctx;
  OpBuilder b;
  std::string path;
  mlc::OnnxImportOptions options;
  int64_t opsetVersion = 0;
  std::vector<Param> params;
  std::map<std::string, DenseElementsAttr> constants; // float initializers (wholeGraph), in name order
  llvm::StringMap<Value> values;
  llvm::StringMap<IntConstant> intConstants;
  PredicateMap predicates;
  /// The training view's @forward while its nodes are imported, and its runtime scalars.
  func::FuncOp forward;
  llvm::StringMap<Value> hyperArgs;
  /// Training view: the initializers that are buffers, and their new values once imported.
  llvm::StringSet<> bufferNames;
  llvm::StringMap<Value> bufferUpdates;
};


/// libonnx's model check, with the failing node named when the failure is in a node.
void checkModel(const onnx::ModelProto &model) {
  try {
    onnx::checker::check_model(model);
  } catch (const onnx::checker::ValidationError &) {
    onnx::checker::CheckerContext ctx;
    ctx.set_ir_version(static_cast<int>(model.ir_version()));
    std::unordered_map<std::string, int> opsets;
    for (const auto &opset : model.opset_import())
      opsets[opset.domain()] = static_cast<int>(opset.version());
    ctx.set_opset_imports(opsets);
    onnx::checker::LexicalScopeContext lex;
    for (const onnx::NodeProto &node : model.graph().node()) {
      try {
        onnx::checker::check_node(node, ctx, lex);
      } catch (const std::exception &e) {
        throw ImportError{nodeLabel(node) + ": " + oneLine(e.what())};
      }
    }
    throw;
  }
}

} // namespace

OwningOpRef<ModuleOp> mlc::importOnnxModel(llvm::StringRef path, MLIRContext &ctx,
                                           const OnnxImportOptions &options, std::string &error) {
  ctx.loadDialect<MlcDialect, func::FuncDialect, arith::ArithDialect>();
  std::ifstream in(path.str(), std::ios::binary);
  if (!in) {
    error = path.str() + ": cannot open the file";
    return nullptr;
  }
  in.seekg(0, std::ios::end);
  if (in.tellg() == 0) {
    error = path.str() + ": empty file (0 bytes), not an ONNX model";
    return nullptr;
  }
  in.seekg(0, std::ios::beg);
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in)) {
    error = path.str() + ": not a valid ONNX model (protobuf parse failed)";
    return nullptr;
  }
  try {
    validateBeforeInference(model);
    loadExternalData(model, llvm::sys::path::parent_path(path).str());
    if (options.wholeGraph && !options.inputValueFiles.empty())
      specializeStaticInputs(model, options.inputValueFiles);
    checkModel(model);
    onnx::shape_inference::InferShapes(model);
    return GraphImporter(ctx, path, options).run(model);
  } catch (const ImportError &e) {
    error = path.str() + ": " + e.message;
  } catch (const std::exception &e) {
    // libonnx messages can span lines (the culprit often on a later one): one line of them.
    error = path.str() + ": invalid ONNX model: " + oneLine(e.what());
  }
  return nullptr;
}
