// mlc-check-contract: what each stage of the pipeline promises the next (see Passes.td).
#include "compiler/Pipelines/Passes.h"
#include "dialects/Mlc/MlcDialect.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlc {
#define GEN_PASS_DEF_CHECKSTAGECONTRACT
#include "compiler/Pipelines/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kStepFunctions[] = {"train_step", "eval_step"};

struct CheckStageContractPass : public mlc::impl::CheckStageContractBase<CheckStageContractPass> {
  using CheckStageContractBase::CheckStageContractBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (stage != "graph" && stage != "linalg" && stage != "schedule" && stage != "bufferize" && stage != "llvm") {
      module.emitError("mlc-check-contract: unknown stage '") << stage
                                                              << "' (graph, linalg, schedule, bufferize or llvm)";
      return signalPassFailure();
    }
    if (stage == "llvm")
      return checkLLVM(module);
    for (StringRef name : kStepFunctions) {
      auto func = module.lookupSymbol<func::FuncOp>(name);
      if (!func || func.isExternal()) {
        if (stage == "graph")
          fail(module, "no @" + name.str());
        continue;
      }
      if (stage == "graph")
        checkGraph(func);
      else
        checkLowered(func);
    }
  }

  InFlightDiagnostic fail(Operation *at, const Twine &what) {
    signalPassFailure();
    return at->emitError("stage '") << stage << "' breaks its contract: " << what;
  }

  void checkGraph(func::FuncOp func) {
    if (!func.isPublic())
      fail(func, "@" + func.getName() + " is not public");
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<linalg::LinalgDialect, memref::MemRefDialect, scf::SCFDialect, vector::VectorDialect>(
              op->getDialect())) {
        fail(op, "'" + op->getName().getStringRef() + "' in @" + func.getName() + " before lowering");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (func.getName() != "train_step")
      return;
    const StringRef roles[] = {mlc::attr::kParam, mlc::attr::kState,        mlc::attr::kBuffer,
                               mlc::attr::kInput, mlc::attr::kLabel,        mlc::attr::kClassWeights,
                               mlc::attr::kHyper};
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      unsigned count = llvm::count_if(roles, [&](StringRef r) { return func.getArgAttr(i, r) != nullptr; });
      if (count != 1) {
        fail(func, "argument #" + Twine(i) + " of @train_step has " + Twine(count) + " roles (expected one)");
        return;
      }
    }
  }

  void checkLowered(func::FuncOp func) {
    bool bufferized = stage == "bufferize";
    if (bufferized && func.getNumResults() != 0)
      fail(func, "@" + func.getName() + " still returns values");
    if (bufferized)
      for (Type t : func.getArgumentTypes())
        if (isa<TensorType>(t)) {
          fail(func, "@" + func.getName() + " takes a tensor");
          return;
        }
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<mlc::MlcDialect>(op->getDialect())) {
        fail(op, "'" + op->getName().getStringRef() + "' left after lowering");
        return WalkResult::interrupt();
      }
      if (stage == "schedule" && target == "cpu" && op->getParentOp() == func.getOperation()) {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        if (linalgOp && linalg::isaContractionOpInterface(linalgOp)) {
          fail(op, "contraction left whole in @" + func.getName() + " (not tiled)");
          return WalkResult::interrupt();
        }
      }
      if (bufferized) {
        if (isa<memref::AllocOp, memref::DeallocOp>(op)) {
          fail(op, "heap allocation left in @" + func.getName());
          return WalkResult::interrupt();
        }
        auto isTensor = [](Type t) { return isa<TensorType>(t); };
        if (llvm::any_of(op->getResultTypes(), isTensor) || llvm::any_of(op->getOperandTypes(), isTensor)) {
          fail(op, "tensor value left in @" + func.getName() + " ('" + op->getName().getStringRef() + "')");
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
  }

  void checkLLVM(ModuleOp module) {
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      // OpenMP's ops stay until translation to LLVM IR (which outlines their regions), as do the
      // kernels' binary and the host's launches of them.
      if (op == module.getOperation() || isa<LLVM::LLVMDialect, omp::OpenMPDialect>(op->getDialect()))
        return WalkResult::advance();
      if (target == "cuda" && isa<gpu::BinaryOp>(op))
        return WalkResult::skip();
      if (target == "cuda" && isa<gpu::LaunchFuncOp>(op))
        return WalkResult::advance();
      fail(op, "'" + op->getName().getStringRef() + "' is not LLVM dialect");
      return WalkResult::interrupt();
    });
  }
};

} // namespace
