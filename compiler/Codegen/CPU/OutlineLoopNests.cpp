// mlc-cpu-outline-loop-nests: moves each loop nest of a step into a function of its own and lets
// identical nests share one function, so that LLVM's work grows with the distinct ops of a model,
// not with its depth.
#include "compiler/Codegen/CPU/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/OperationSupport.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace mlc {
#define GEN_PASS_DEF_CPUOUTLINELOOPNESTS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Whether a value from outside a nest is copied into its function rather than passed: constants
/// and pure computations of constants (the index and mask vectors of gathers), so that loops keep
/// static bounds, LLVM sees the values, and no vector crosses a call by value.
bool isCopied(Value v, llvm::DenseMap<Value, bool> &memo) {
  auto known = memo.find(v);
  if (known != memo.end())
    return known->second;
  Operation *def = v.getDefiningOp();
  bool copied = def && def->getNumRegions() == 0 && isMemoryEffectFree(def) &&
                llvm::all_of(def->getOperands(), [&](Value operand) { return isCopied(operand, memo); });
  memo[v] = copied;
  return copied;
}

/// Clones the computation of `v` (see isCopied) at `b`'s insertion point, operands first.
Value cloneCopied(OpBuilder &b, Value v, IRMapping &map) {
  if (Value done = map.lookupOrNull(v))
    return done;
  Operation *def = v.getDefiningOp();
  for (Value operand : def->getOperands())
    cloneCopied(b, operand, map);
  Operation *copy = b.clone(*def, map);
  return copy->getResult(cast<OpResult>(v).getResultNumber());
}

/// A memref argument must keep a static shape, strides and offset: steps pass memrefs as bare
/// pointers, and the callee rebuilds the rest from the type.
bool passesAsBarePointer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref)
    return !isa<UnrankedMemRefType>(type);
  if (!memref.hasStaticShape())
    return false;
  int64_t offset;
  SmallVector<int64_t> strides;
  if (failed(getStridesAndOffset(memref, strides, offset)))
    return false;
  return !ShapedType::isDynamic(offset) && llvm::none_of(strides, ShapedType::isDynamic);
}

/// The values defined outside `nest` that it uses, in order of first use.
llvm::SetVector<Value> capturedValues(Operation *nest) {
  llvm::SetVector<Value> captured;
  nest->walk<WalkOrder::PreOrder>([&](Operation *op) {
    for (Value v : op->getOperands()) {
      Operation *owner = isa<BlockArgument>(v) ? cast<BlockArgument>(v).getOwner()->getParentOp()
                                               : v.getDefiningOp();
      if (!nest->isAncestor(owner))
        captured.insert(v);
    }
  });
  return captured;
}

/// A hash of a function's body that equal bodies share (locations and names left out).
llvm::hash_code bodyHash(func::FuncOp func) {
  llvm::hash_code hash = hash_value(func.getFunctionType());
  func.getBody().walk([&](Operation *op) {
    hash = llvm::hash_combine(hash, OperationEquivalence::computeHash(op, OperationEquivalence::ignoreHashValue,
                                                                      OperationEquivalence::ignoreHashValue,
                                                                      OperationEquivalence::IgnoreLocations));
  });
  return hash;
}

struct CPUOutlineLoopNestsPass : public mlc::impl::CPUOutlineLoopNestsBase<CPUOutlineLoopNestsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Functions already outlined, by body hash: a new nest equal to one of them calls it instead.
    llvm::DenseMap<llvm::hash_code, SmallVector<func::FuncOp, 1>> outlined;
    SmallVector<func::FuncOp> steps;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        steps.push_back(func);
    for (func::FuncOp step : steps) {
      unsigned index = 0;
      SmallVector<Operation *> nests;
      for (Operation &op : step.getBody().front())
        if (op.getNumRegions() > 0)
          nests.push_back(&op);
      for (Operation *nest : nests) {
        func::CallOp call = outline(step, nest, index++, symbols);
        if (!call)
          continue;
        auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
        SmallVector<func::FuncOp, 1> &same = outlined[bodyHash(callee)];
        auto equal = llvm::find_if(same, [&](func::FuncOp other) {
          return other.getFunctionType() == callee.getFunctionType() &&
                 OperationEquivalence::isRegionEquivalentTo(&other.getBody(), &callee.getBody(),
                                                            OperationEquivalence::IgnoreLocations);
        });
        if (equal == same.end()) {
          same.push_back(callee);
          continue;
        }
        call.setCallee((*equal).getSymName());
        symbols.erase(callee);
        ++numShared;
      }
    }
  }

  llvm::DenseMap<Value, bool> copiedValues;

  /// Replaces `nest` by a call of a new private function that holds it and returns the call.
  /// Null when one of the values it captures cannot cross a call (a memref without a static
  /// layout).
  func::CallOp outline(func::FuncOp step, Operation *nest, unsigned index, SymbolTable &symbols) {
    llvm::SetVector<Value> captured = capturedValues(nest);
    SmallVector<Value> arguments;
    SmallVector<Value> constants;
    for (Value v : captured) {
      if (isCopied(v, copiedValues)) {
        constants.push_back(v);
        continue;
      }
      if (!passesAsBarePointer(v.getType()))
        return nullptr;
      arguments.push_back(v);
    }
    for (Type t : nest->getResultTypes())
      if (!passesAsBarePointer(t))
        return nullptr;

    OpBuilder b(step);
    auto type = b.getFunctionType(ValueRange(arguments).getTypes(), nest->getResultTypes());
    auto func = b.create<func::FuncOp>(nest->getLoc(), (step.getSymName() + "_nest" + Twine(index)).str(), type);
    func.setPrivate();
    // Kept a call in LLVM: inlined back, the step would be one huge function again.
    func->setAttr("no_inline", b.getUnitAttr());
    symbols.insert(func);
    Block *body = func.addEntryBlock();
    b.setInsertionPointToStart(body);
    IRMapping map;
    for (auto [from, to] : llvm::zip(arguments, body->getArguments()))
      map.map(from, to);
    for (Value c : constants)
      cloneCopied(b, c, map);
    Operation *copy = b.clone(*nest, map);
    b.create<func::ReturnOp>(nest->getLoc(), copy->getResults());

    b.setInsertionPoint(nest);
    auto call = b.create<func::CallOp>(nest->getLoc(), func, arguments);
    nest->replaceAllUsesWith(call.getResults());
    nest->erase();
    ++numOutlined;
    return call;
  }
};

} // namespace
