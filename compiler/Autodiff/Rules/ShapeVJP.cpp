// VJP rules of the shape ops: broadcast and reduce_sum are each other's adjoints, as are slice and
// pad; gather's is gather_grad.
#include "dialects/Mlc/MlcBuilders.h"
#include "compiler/Autodiff/Rules/Rules.h"

using namespace mlir;
using namespace mlc;

namespace {

// The adjoint of a broadcast sums over the result dimensions it created or expanded from size 1.
struct BroadcastVJP : VJPRule<BroadcastVJP, BroadcastOp> {
  static LogicalResult vjp(BroadcastOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    auto inType = op.getInput().getType();
    auto outType = op.getResult().getType();
    SmallVector<int64_t> reduced;
    for (int64_t d = 0; d < outType.getRank(); ++d) {
      const auto *pos = llvm::find(op.getDims(), d);
      if (pos == op.getDims().end()) {
        reduced.push_back(d);
        continue;
      }
      int64_t inDim = pos - op.getDims().begin();
      if (inType.getDimSize(inDim) != outType.getDimSize(d))
        reduced.push_back(d);
    }
    Value sum = reduceSum(b, op.getLoc(), dy, reduced, /*keepDims=*/false);
    g[0] = reshapeTo(b, op.getLoc(), sum, inType);
    return success();
  }
};

// The adjoint of a sum broadcasts the result adjoint back over the reduced dimensions.
/// A reduction's result broadcast back to its input's shape.
template <typename OpT>
static Value broadcastToInput(OpBuilder &b, OpT op, Value resultLike) {
  auto inType = op.getInput().getType();
  SmallVector<int64_t> dims;
  for (int64_t i = 0; i < inType.getRank(); ++i)
    if (op.getKeepDims() || !llvm::is_contained(op.getDims(), i))
      dims.push_back(i);
  return broadcastTo(b, op.getLoc(), resultLike, inType, dims);
}

struct ReduceSumVJP : VJPRule<ReduceSumVJP, ReduceSumOp> {
  static LogicalResult vjp(ReduceSumOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = broadcastToInput(b, op, dy);
    return success();
  }
};

// The adjoint reaches the first element equal to the maximum (row-major over the reduced
// dimensions), as PyTorch routes max-pool and max(dim) gradients: a window of equal values (an
// all-background patch of an image) passes its adjoint on once, not once per element.
struct ReduceMaxVJP : VJPRule<ReduceMaxVJP, ReduceMaxOp> {
  static LogicalResult vjp(ReduceMaxOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    // Each element's row-major position among the reduced dimensions (exact in f32 below 2^24).
    // (This runs in the backward pass of every max-pool: one iota for the usual single window
    // dimension, no arithmetic.)
    Value position;
    double stride = 1;
    for (int64_t d : llvm::reverse(op.getDims())) {
      Value term = b.create<IotaOp>(loc, inType, d);
      if (stride != 1)
        term = b.create<MulOp>(loc, term, makeSplatLike(b, loc, term, stride));
      position = position ? b.create<AddOp>(loc, position, term).getResult() : term;
      stride *= inType.getDimSize(d);
    }
    // The position where x attains the maximum (x <= max everywhere), else past the end; the
    // least of those is the first maximum: min = -max(-v).
    Value max = broadcastToInput(b, op, op.getResult());
    Value candidate = b.create<WhereGtOp>(loc, max, op.getInput(), makeSplatLike(b, loc, position, stride), position);
    Value negFirst = b.create<ReduceMaxOp>(loc, op.getResult().getType(), b.create<NegOp>(loc, candidate),
                                           op.getDimsAttr(), op.getKeepDimsAttr());
    Value first = b.create<NegOp>(loc, broadcastToInput(b, op, negFirst));
    Value spread = broadcastToInput(b, op, dy);
    Value zero = makeSplatLike(b, loc, spread, 0.0);
    g[0] = b.create<WhereGtOp>(loc, first, position, zero, b.create<WhereGtOp>(loc, position, first, zero, spread));
    return success();
  }
};

struct ReshapeVJP : VJPRule<ReshapeVJP, ReshapeOp> {
  static LogicalResult vjp(ReshapeOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = reshapeTo(b, op.getLoc(), dy, op.getInput().getType());
    return success();
  }
};

struct TransposeVJP : VJPRule<TransposeVJP, TransposeOp> {
  static LogicalResult vjp(TransposeOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    ArrayRef<int64_t> perm = op.getPermutation();
    SmallVector<int64_t> inverse(perm.size());
    for (auto [i, p] : llvm::enumerate(perm))
      inverse[p] = i;
    g[0] = b.create<TransposeOp>(op.getLoc(), op.getInput().getType(), dy,
                                 b.getDenseI64ArrayAttr(inverse));
    return success();
  }
};

// slice and pad are each other's adjoints: the slice adjoint scatters into zeros at the offsets
// (with strides - 1 zeros between elements), the pad adjoint reads the input positions back.
struct SliceVJP : VJPRule<SliceVJP, SliceOp> {
  static LogicalResult vjp(SliceOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    auto in = op.getInput().getType();
    auto out = op.getResult().getType();
    SmallVector<int64_t> high, interior;
    for (int64_t d = 0; d < in.getRank(); ++d) {
      int64_t stride = op.getStrides()[d];
      interior.push_back(stride - 1);
      high.push_back(in.getDimSize(d) - op.getOffsets()[d] - stride * (out.getDimSize(d) - 1) - 1);
    }
    g[0] = b.create<PadOp>(op.getLoc(), in, dy, op.getOffsets(), high, interior, llvm::APFloat(0.0));
    return success();
  }
};

struct PadVJP : VJPRule<PadVJP, PadOp> {
  static LogicalResult vjp(PadOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    SmallVector<int64_t> strides;
    for (int64_t i : op.getInterior())
      strides.push_back(i + 1);
    g[0] = b.create<SliceOp>(op.getLoc(), op.getInput().getType(), dy, op.getLow(), strides);
    return success();
  }
};

// Gathered rows flow back to the rows they came from, summed where an index repeats; the integer
// indices get no adjoint.
struct GatherVJP : VJPRule<GatherVJP, GatherOp> {
  static LogicalResult vjp(GatherOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = b.create<GatherGradOp>(op.getLoc(), op.getInput().getType(), dy, op.getIndices(), op.getAxis());
    return success();
  }
};

} // namespace

void mlc::registerShapeVJPRules(MLIRContext *ctx) {
  GatherOp::attachInterface<GatherVJP>(*ctx);
  SliceOp::attachInterface<SliceVJP>(*ctx);
  PadOp::attachInterface<PadVJP>(*ctx);
  BroadcastOp::attachInterface<BroadcastVJP>(*ctx);
  ReduceSumOp::attachInterface<ReduceSumVJP>(*ctx);
  ReduceMaxOp::attachInterface<ReduceMaxVJP>(*ctx);
  ReshapeOp::attachInterface<ReshapeVJP>(*ctx);
  TransposeOp::attachInterface<TransposeVJP>(*ctx);
}
