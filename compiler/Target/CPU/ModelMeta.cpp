// The model metadata the trainer reads: parameters, shapes, hyperparameters and initial values.
#include "compiler/Target/CPU/Emit.h"
#include "dialects/Mlc/StepSignature.h"
#include "runtime/include/mlc_names.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

void printDims(llvm::raw_ostream &os, Type type) {
  for (int64_t d : cast<ShapedType>(type).getShape())
    os << ' ' << d;
}

} // namespace

std::string mlc::ModelMeta::fullText() const {
  std::string out = text;
  for (const std::string &op : profileOps)
    out += std::string(names::kRecordProfileOp) + " " + op + "\n";
  return out + names::kRecordWorkspace + " " + std::to_string(trainWorkspace) + " " + std::to_string(evalWorkspace) +
         "\n";
}

void mlc::collectProfileOps(ModuleOp module, ModelMeta &meta) {
  meta.profileOps.clear();
  auto train = module.lookupSymbol<func::FuncOp>("train_step");
  auto records = train ? train->getAttrOfType<ArrayAttr>("mlc.profile_ops") : ArrayAttr();
  if (!records)
    return;
  for (Attribute r : records)
    meta.profileOps.push_back(cast<StringAttr>(r).getValue().str());
}

FailureOr<mlc::ModelMeta> mlc::collectModelMeta(ModuleOp module, StringRef loss, StringRef reduction,
                                                StringRef optimizer, StringRef target) {
  auto train = module.lookupSymbol<func::FuncOp>("train_step");
  auto eval = module.lookupSymbol<func::FuncOp>("eval_step");
  if (!train || !eval || eval.getNumResults() != 1)
    return module.emitError("expected @train_step and @eval_step with one output");
  ModelMeta meta;
  std::string text;
  llvm::raw_string_ostream os(text);
  auto input = argsWithAttr(train, attr::kInput);
  auto label = argsWithAttr(train, attr::kLabel);
  auto params = argsWithAttr(train, attr::kParam);
  auto state = argsWithAttr(train, attr::kState);
  auto hypers = argsWithAttr(train, attr::kHyper);
  if (input.size() != 1 || label.size() != 1)
    return train.emitError("expected one input and one label");
  Type inputType = train.getArgumentTypes()[input[0]];
  using namespace mlc::names;
  os << kRecordVersion << " 1\n";
  os << kRecordTarget << ' ' << target << "\n";
  os << kRecordBatch << ' ' << cast<ShapedType>(inputType).getDimSize(0) << "\n";
  os << kRecordLoss << ' ' << loss << "\n" << kRecordReduction << ' ' << reduction << "\n" << kRecordOptimizer << ' ' << optimizer << "\n";
  os << kRecordInput << ' ' << train.getArgAttrOfType<StringAttr>(input[0], attr::kInput).getValue()
     << (isa<IntegerType>(cast<ShapedType>(inputType).getElementType()) ? " i32" : " f32");
  printDims(os, inputType);
  Type labelType = train.getArgumentTypes()[label[0]];
  os << "\n" << kRecordLabel << " label" << (isa<IntegerType>(cast<ShapedType>(labelType).getElementType()) ? " i32" : " f32");
  printDims(os, labelType);
  // The loss's class weights (an argument after the label the runtime fills once): their count.
  for (unsigned w : argsWithAttr(train, attr::kClassWeights))
    os << "\n" << kRecordClassWeights << " f32" << ' ' << cast<ShapedType>(train.getArgumentTypes()[w]).getDimSize(0);
  auto outName = eval.getResultAttrOfType<StringAttr>(0, attr::kOutput);
  os << "\n" << kRecordOutput << ' ' << (outName ? outName.getValue() : "output") << " f32";
  printDims(os, eval.getResultTypes()[0]);
  os << "\n" << kRecordState << ' ' << (params.empty() ? 0 : state.size() / params.size()) << "\n" << kRecordHyper;
  for (unsigned h : hypers)
    os << ' ' << train.getArgAttrOfType<StringAttr>(h, attr::kHyper).getValue();
  os << "\n";
  // Parameters, then buffers (model state such as batch-norm running statistics), each with its
  // initial value in mlc_param_init.
  for (auto [record, attrName, indices] :
       {std::tuple{kRecordParam, attr::kParam, params}, {kRecordBuffer, attr::kBuffer, argsWithAttr(train, attr::kBuffer)}}) {
    for (unsigned p : indices) {
      auto name = train.getArgAttrOfType<StringAttr>(p, attrName);
      Attribute init = train.getArgAttr(p, attr::kInitializer);
      size_t offset = meta.paramInit.size();
      std::optional<SmallVector<float>> values = init ? initialValues(init) : std::nullopt;
      if (!values)
        return train.emitError() << record << " '" << name.getValue() << "' has no f32 initial value";
      meta.paramInit.insert(meta.paramInit.end(), values->begin(), values->end());
      os << record << ' ' << name.getValue() << " f32 " << offset;
      printDims(os, train.getArgumentTypes()[p]);
      os << "\n";
      if (auto layout = train.getArgAttrOfType<DenseI64ArrayAttr>(p, attr::kLayout)) {
        os << kRecordParamLayout << ' ' << name.getValue();
        for (int64_t d : layout.asArrayRef())
          os << ' ' << d;
        os << "\n";
      }
    }
  }
  meta.text = os.str();
  return meta;
}

LogicalResult mlc::collectWorkspaceSizes(ModuleOp module, ModelMeta &meta) {
  for (auto [name, bytes] : {std::pair<StringRef, int64_t *>{"train_step", &meta.trainWorkspace},
                             {"eval_step", &meta.evalWorkspace}}) {
    auto func = module.lookupSymbol<func::FuncOp>(name);
    auto attr = func ? func->getAttrOfType<IntegerAttr>(attr::kWorkspaceBytes) : IntegerAttr();
    if (!attr)
      return module.emitError("no planned workspace for @") << name;
    *bytes = attr.getInt();
  }
  return success();
}
