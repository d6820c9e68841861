// Reverse-mode autodiff over straight-line mlc functions, driven by each op's VJP rule.
#include "compiler/Autodiff/Passes.h"
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace mlc {
#define GEN_PASS_DEF_AUTODIFF
#include "compiler/Autodiff/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// Accumulates adjoints: a value used by several ops receives the sum of their contributions.
class AdjointMap {
public:
  void add(OpBuilder &b, Value primal, Value grad) {
    if (!grad)
      return;
    auto [it, inserted] = adjoints.try_emplace(primal, grad);
    if (!inserted)
      it->second = b.create<AddOp>(grad.getLoc(), it->second, grad);
  }
  Value lookup(Value primal) const { return adjoints.lookup(primal); }

private:
  DenseMap<Value, Value> adjoints;
};

} // namespace

FailureOr<func::FuncOp> mlc::buildGradientFunction(func::FuncOp func, ArrayRef<bool> wrt) {
  if (!func.getBody().hasOneBlock())
    return func.emitError("autodiff supports functions with one block (straight-line code)");
  if (func.getNumResults() < 1)
    return func.emitError("autodiff needs a function with a result to differentiate");
  auto resultType = dyn_cast<RankedTensorType>(func.getResultTypes()[0]);
  if (!resultType || resultType.getRank() != 0 || !isa<FloatType>(resultType.getElementType()))
    return func.emitError("autodiff needs a function returning a scalar (rank-0) float tensor");

  // The gradient function starts as a clone of the function; adjoint ops are appended to it.
  OpBuilder b(func);
  func::FuncOp grad = cast<func::FuncOp>(b.clone(*func));
  grad.setSymName((func.getSymName() + "_grad").str());
  Block &body = grad.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  Value value = ret.getOperand(0);

  // Activity: the values that depend on a differentiated argument.
  DenseSet<Value> active;
  for (auto [i, arg] : llvm::enumerate(body.getArguments()))
    if (wrt[i])
      active.insert(arg);
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator()) {
    ops.push_back(&op);
    if (llvm::any_of(op.getOperands(), [&](Value v) { return active.contains(v); }))
      active.insert(op.getResults().begin(), op.getResults().end());
  }

  b.setInsertionPoint(ret);
  AdjointMap adjoints;
  adjoints.add(b, value, makeSplat(b, value.getLoc(), cast<RankedTensorType>(value.getType()), 1.0));

  for (Operation *op : llvm::reverse(ops)) {
    SmallVector<Value> resultGrads;
    bool anyGrad = false;
    for (Value r : op->getResults()) {
      resultGrads.push_back(adjoints.lookup(r));
      anyGrad |= static_cast<bool>(resultGrads.back());
    }
    if (!anyGrad)
      continue;
    SmallVector<bool> needed;
    bool anyNeeded = false;
    for (Value v : op->getOperands()) {
      needed.push_back(active.contains(v) && isa<FloatType>(getElementTypeOrSelf(v.getType())));
      anyNeeded |= needed.back();
    }
    if (!anyNeeded)
      continue;
    auto rule = dyn_cast<VJPOpInterface>(op);
    if (!rule)
      return op->emitError() << "no gradient rule for op '" << op->getName()
                             << "': it cannot be trained through";
    SmallVector<Value> operandGrads;
    if (failed(rule.buildVJP(b, resultGrads, needed, operandGrads)))
      return op->emitError() << "gradient rule of '" << op->getName() << "' failed";
    for (auto [operand, g, need] : llvm::zip(op->getOperands(), operandGrads, needed))
      if (need)
        adjoints.add(b, operand, g);
  }

  SmallVector<Value> results{value};
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    if (!wrt[i])
      continue;
    Value g = adjoints.lookup(arg);
    // An argument the value does not depend on has a zero gradient.
    if (!g)
      g = makeSplat(b, grad.getLoc(), cast<RankedTensorType>(arg.getType()), 0.0);
    results.push_back(g);
  }
  // Auxiliary results follow the gradients, undifferentiated.
  unsigned firstAux = results.size();
  results.append(ret.getOperands().begin() + 1, ret.getOperands().end());
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  grad.setFunctionType(
      FunctionType::get(func.getContext(), grad.getArgumentTypes(), ValueRange(results).getTypes()));
  grad.removeResAttrsAttr();
  for (unsigned r = 1; r < func.getNumResults(); ++r)
    if (DictionaryAttr attrs = func.getResultAttrDict(r))
      grad.setResultAttrs(firstAux + r - 1, attrs);
  return grad;
}

namespace {
struct AutodiffPass : public mlc::impl::AutodiffBase<AutodiffPass> {
  using AutodiffBase::AutodiffBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string name = function;
    auto func = module.lookupSymbol<func::FuncOp>(name);
    if (!func) {
      module.emitError() << "mlc-autodiff: no function @" << name;
      return signalPassFailure();
    }
    if (module.lookupSymbol(name + "_grad")) {
      func.emitError() << "mlc-autodiff: @" << name << "_grad already exists";
      return signalPassFailure();
    }
    SmallVector<bool> wrt;
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      bool isFloat = isa<FloatType>(getElementTypeOrSelf(func.getArgumentTypes()[i]));
      wrt.push_back(isFloat && (allArgs || func.getArgAttr(i, "mlc.param")));
    }
    if (failed(buildGradientFunction(func, wrt)))
      signalPassFailure();
  }
};
} // namespace
