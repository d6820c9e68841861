// mlc-gpu-map-forall: block/thread-mapped scf.forall nests (on buffers) become gpu.launch ops.
#include "compiler/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlc {
#define GEN_PASS_DEF_GPUMAPFORALL
#include "compiler/Codegen/GPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

template <typename MappingAttr>
static bool hasMapping(scf::ForallOp forall) {
  auto mapping = forall.getMapping();
  return mapping && !mapping->empty() && llvm::all_of(*mapping, [](Attribute a) {
           return isa<MappingAttr>(a);
         });
}

/// Trip count of each loop dimension, by hardware dimension (x, y, z); 1 where unused.
static FailureOr<std::array<int64_t, 3>> tripCounts(scf::ForallOp forall) {
  std::array<int64_t, 3> counts{1, 1, 1};
  std::array<bool, 3> used{false, false, false};
  auto lbs = forall.getStaticLowerBound(), ubs = forall.getStaticUpperBound(),
       steps = forall.getStaticStep();
  for (auto [i, attr] : llvm::enumerate(*forall.getMapping())) {
    if (ShapedType::isDynamic(lbs[i]) || ShapedType::isDynamic(ubs[i]) ||
        ShapedType::isDynamic(steps[i]))
      return failure();
    auto dim = static_cast<size_t>(cast<DeviceMappingAttrInterface>(attr).getMappingId());
    if (dim > 2 || used[dim])
      return failure();
    used[dim] = true;
    counts[dim] = (ubs[i] - lbs[i] + steps[i] - 1) / steps[i];
  }
  return counts;
}

/// iv_i = lb_i + id(dim_i) * step_i for each loop of `forall`.
static void mapInductionVars(OpBuilder &b, scf::ForallOp forall, gpu::KernelDim3 ids,
                             IRMapping &map) {
  Location loc = forall.getLoc();
  auto lbs = forall.getStaticLowerBound(), steps = forall.getStaticStep();
  for (auto [i, attr] : llvm::enumerate(*forall.getMapping())) {
    auto dim = cast<DeviceMappingAttrInterface>(attr).getMappingId();
    Value id = dim == 0 ? ids.x : dim == 1 ? ids.y : ids.z;
    Value step = b.create<arith::ConstantIndexOp>(loc, steps[i]);
    Value lb = b.create<arith::ConstantIndexOp>(loc, lbs[i]);
    Value iv = b.create<arith::AddIOp>(loc, lb, b.create<arith::MulIOp>(loc, id, step));
    map.map(forall.getInductionVars()[i], iv);
  }
}

/// Clones `body`'s ops (not its terminator) with `map`, mapping a nested thread forall too.
static LogicalResult cloneBody(OpBuilder &b, Block &body, gpu::LaunchOp launch, IRMapping &map) {
  for (Operation &op : body.without_terminator()) {
    if (auto inner = dyn_cast<scf::ForallOp>(op)) {
      mapInductionVars(b, inner, launch.getThreadIds(), map);
      if (failed(cloneBody(b, *inner.getBody(), launch, map)))
        return failure();
      continue;
    }
    b.clone(op, map);
  }
  return success();
}

static LogicalResult mapNest(scf::ForallOp outer) {
  if (outer.getNumResults() != 0)
    return outer.emitError("mlc-gpu-map-forall: expected a bufferized scf.forall");
  // Everything at block level besides the thread loop runs once per thread: it must be pure.
  scf::ForallOp inner;
  for (Operation &op : outer.getBody()->without_terminator()) {
    if (auto f = dyn_cast<scf::ForallOp>(op); f && hasMapping<gpu::GPUThreadMappingAttr>(f)) {
      if (inner)
        return outer.emitError("mlc-gpu-map-forall: more than one thread loop in a block loop");
      inner = f;
    } else if (!isMemoryEffectFree(&op)) {
      return op.emitError("mlc-gpu-map-forall: op with memory effects at block level");
    }
  }
  if (!inner)
    return outer.emitError("mlc-gpu-map-forall: block loop without a thread loop");
  auto grid = tripCounts(outer);
  auto block = tripCounts(inner);
  if (failed(grid) || failed(block))
    return outer.emitError(
        "mlc-gpu-map-forall: loops must have static bounds and distinct x/y/z mappings");

  OpBuilder b(outer);
  Location loc = outer.getLoc();
  auto c = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v).getResult(); };
  auto launch = b.create<gpu::LaunchOp>(loc, c((*grid)[0]), c((*grid)[1]), c((*grid)[2]),
                                        c((*block)[0]), c((*block)[1]), c((*block)[2]));
  b.setInsertionPointToStart(&launch.getBody().front());
  IRMapping map;
  mapInductionVars(b, outer, launch.getBlockIds(), map);
  if (failed(cloneBody(b, *outer.getBody(), launch, map)))
    return failure();
  b.create<gpu::TerminatorOp>(loc);
  outer.erase();
  return success();
}

struct GPUMapForallPass : public mlc::impl::GPUMapForallBase<GPUMapForallPass> {
  void runOnOperation() override {
    SmallVector<scf::ForallOp> nests;
    getOperation().walk([&](scf::ForallOp f) {
      if (hasMapping<gpu::GPUBlockMappingAttr>(f))
        nests.push_back(f);
    });
    for (scf::ForallOp f : nests)
      if (failed(mapNest(f)))
        return signalPassFailure();
  }
};

} // namespace
