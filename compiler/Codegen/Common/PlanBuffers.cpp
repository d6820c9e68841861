// mlc-plan-buffers: a static memory plan for each step function's temporaries (one workspace).
#include "compiler/Codegen/Common/Passes.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlc {
#define GEN_PASS_DEF_PLANBUFFERS
#include "compiler/Codegen/Common/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

constexpr int64_t kAlignment = 64;

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes;
  unsigned start, end; // live range: positions of top-level ops in the entry block
  int64_t offset = -1;
};

static int64_t alignTo(int64_t v) { return (v + kAlignment - 1) / kAlignment * kAlignment; }

static int64_t byteSize(MemRefType type) {
  return type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
}

/// The last top-level position at which the buffer or any view of it is used.
static unsigned lastUse(Value root, Block &entry, const DenseMap<Operation *, unsigned> &position) {
  unsigned last = 0;
  SmallVector<Value> worklist{root};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      Operation *top = entry.findAncestorOpInBlock(*user);
      if (top)
        last = std::max(last, position.lookup(top));
      if (isa<ViewLikeOpInterface>(user) || isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(user))
        for (Value r : user->getResults())
          worklist.push_back(r);
    }
  }
  return last;
}

/// First fit: the lowest aligned offset that overlaps no placed buffer whose live range overlaps.
static int64_t place(std::vector<Buffer> &buffers) {
  std::vector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  // Larger buffers first gives tighter packings for the same live ranges.
  std::stable_sort(order.begin(), order.end(),
                   [](const Buffer *a, const Buffer *b) { return a->bytes > b->bytes; });
  int64_t total = 0;
  std::vector<Buffer *> placed;
  for (Buffer *buf : order) {
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (Buffer *p : placed)
      if (p->start <= buf->end && buf->start <= p->end)
        busy.push_back({p->offset, p->offset + p->bytes});
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + buf->bytes <= lo)
        break;
      offset = std::max(offset, alignTo(hi));
    }
    buf->offset = offset;
    total = std::max(total, offset + buf->bytes);
    placed.push_back(buf);
  }
  return alignTo(total);
}

struct PlanBuffersPass : public mlc::impl::PlanBuffersBase<PlanBuffersPass> {
  using PlanBuffersBase::PlanBuffersBase;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || func.isPrivate())
        continue;
      if (failed(plan(func)))
        return signalPassFailure();
    }
  }

  LogicalResult plan(func::FuncOp func) {
    Block &entry = func.getBody().front();
    SmallVector<Operation *> deallocs;
    func.walk([&](memref::DeallocOp d) { deallocs.push_back(d); });
    for (Operation *d : deallocs)
      d->erase();

    // Loop-nested scratch: sequential loops reuse one buffer hoisted to the top level; parallel
    // loop bodies (one per thread) get stack memory.
    SmallVector<memref::AllocOp> nested;
    func.walk([&](memref::AllocOp a) {
      if (a->getBlock() != &entry)
        nested.push_back(a);
    });
    for (memref::AllocOp a : nested) {
      if (!a.getType().hasStaticShape())
        return a.emitError("mlc-plan-buffers: dynamically shaped allocation");
      Operation *parallel = a->getParentOfType<scf::ForallOp>();
      if (!parallel)
        parallel = a->getParentOfType<scf::ParallelOp>();
      if (parallel) {
        if (byteSize(a.getType()) > maxStackBytes)
          return a.emitError("mlc-plan-buffers: per-thread scratch of ")
                 << byteSize(a.getType()) << " bytes exceeds max-stack-bytes";
        // One buffer per parallel iteration, at the top of its body: an alloca inside a
        // sequential loop there would grow the stack on every trip.
        Block &body = parallel->getRegion(0).front();
        a->moveBefore(&body, body.begin());
        OpBuilder b(a);
        auto alloca = b.create<memref::AllocaOp>(a.getLoc(), a.getType(), a.getAlignmentAttr());
        a.replaceAllUsesWith(alloca.getResult());
        a.erase();
      } else {
        // Just before the top-level op that holds the loop: its live range is that op's.
        a->moveBefore(entry.findAncestorOpInBlock(*a));
      }
    }

    DenseMap<Operation *, unsigned> position;
    for (auto [i, op] : llvm::enumerate(entry))
      position[&op] = i;
    std::vector<Buffer> buffers;
    for (auto a : entry.getOps<memref::AllocOp>()) {
      if (!a.getType().hasStaticShape() || !a.getType().getLayout().isIdentity())
        return a.emitError("mlc-plan-buffers: only static identity-layout allocations are planned");
      unsigned start = position[a];
      buffers.push_back({a, alignTo(byteSize(a.getType())), start,
                         std::max(start, lastUse(a.getResult(), entry, position))});
    }
    int64_t total = place(buffers);

    OpBuilder b(func.getContext());
    // Static size: every memref of a step is static, so all pass as bare pointers.
    auto wsType = MemRefType::get({std::max<int64_t>(total, kAlignment)}, b.getI8Type());
    unsigned wsIndex = func.getNumArguments();
    func.insertArgument(wsIndex, wsType,
                                   b.getDictionaryAttr(b.getNamedAttr(attr::kWorkspace, b.getUnitAttr())),
                                   func.getLoc());
    Value ws = func.getArgument(wsIndex);
    for (Buffer &buf : buffers) {
      b.setInsertionPoint(buf.alloc);
      Value offset = b.create<arith::ConstantIndexOp>(buf.alloc.getLoc(), buf.offset);
      auto view = b.create<memref::ViewOp>(buf.alloc.getLoc(), buf.alloc.getType(), ws, offset,
                                           ValueRange{});
      buf.alloc.replaceAllUsesWith(view.getResult());
      buf.alloc.erase();
    }
    func->setAttr(attr::kWorkspaceBytes, b.getI64IntegerAttr(wsType.getNumElements()));
    return success();
  }
};

} // namespace
