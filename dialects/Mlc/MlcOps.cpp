// Verifiers of the mlc ops: shape rules that the type constraints cannot express.
#include "dialects/Mlc/MlcOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlc;

static LogicalResult verifyIncreasingDims(Operation *op, ArrayRef<int64_t> dims, int64_t rank,
                                          StringRef what) {
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < 0 || dims[i] >= rank)
      return op->emitOpError() << what << " " << dims[i] << " is out of range for rank " << rank;
    if (i > 0 && dims[i] <= dims[i - 1])
      return op->emitOpError() << what << " must be strictly increasing";
  }
  return success();
}

LogicalResult BroadcastOp::verify() {
  auto in = getInput().getType();
  auto out = getResult().getType();
  if (static_cast<int64_t>(getDims().size()) != in.getRank())
    return emitOpError() << "needs one entry in dims per input dimension (" << in.getRank()
                         << "), got " << getDims().size();
  if (failed(verifyIncreasingDims(*this, getDims(), out.getRank(), "dims entry")))
    return failure();
  for (auto [i, d] : llvm::enumerate(getDims())) {
    int64_t inSize = in.getDimSize(i), outSize = out.getDimSize(d);
    if (inSize != outSize && inSize != 1)
      return emitOpError() << "input dimension " << i << " (size " << inSize
                           << ") cannot broadcast to result dimension " << d << " (size " << outSize
                           << ")";
  }
  if (in.getElementType() != out.getElementType())
    return emitOpError() << "element types of input and result differ";
  return success();
}

/// The result shape of a reduction: the input's without (or with size-1) reduced dimensions.
template <typename OpT>
static LogicalResult verifyReduction(OpT op) {
  auto in = op.getInput().getType();
  auto out = op.getResult().getType();
  if (failed(verifyIncreasingDims(op, op.getDims(), in.getRank(), "reduced dimension")))
    return failure();
  SmallVector<int64_t> expected;
  for (int64_t i = 0; i < in.getRank(); ++i) {
    bool reduced = llvm::is_contained(op.getDims(), i);
    if (!reduced)
      expected.push_back(in.getDimSize(i));
    else if (op.getKeepDims())
      expected.push_back(1);
  }
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return op.emitOpError() << "result shape does not match the reduction of the input shape";
  if (in.getElementType() != out.getElementType())
    return op.emitOpError() << "element types of input and result differ";
  return success();
}

LogicalResult ReduceSumOp::verify() { return verifyReduction(*this); }
LogicalResult ReduceMaxOp::verify() { return verifyReduction(*this); }

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType();
  auto out = getResult().getType();
  if (in.getNumElements() != out.getNumElements())
    return emitOpError() << "cannot reshape " << in.getNumElements() << " elements into "
                         << out.getNumElements();
  if (in.getElementType() != out.getElementType())
    return emitOpError() << "element types of input and result differ";
  return success();
}

LogicalResult TransposeOp::verify() {
  auto in = getInput().getType();
  auto out = getResult().getType();
  ArrayRef<int64_t> perm = getPermutation();
  if (static_cast<int64_t>(perm.size()) != in.getRank())
    return emitOpError() << "permutation has " << perm.size() << " entries for rank "
                         << in.getRank();
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || seen[p])
      return emitOpError() << "permutation is not a permutation of [0, " << in.getRank() << ")";
    seen[p] = true;
  }
  for (auto [i, p] : llvm::enumerate(perm))
    if (out.getDimSize(i) != in.getDimSize(p))
      return emitOpError() << "result dimension " << i << " must be input dimension " << p;
  if (in.getElementType() != out.getElementType())
    return emitOpError() << "element types of input and result differ";
  return success();
}

LogicalResult MatmulOp::verify() {
  auto a = getLhs().getType();
  auto b = getRhs().getType();
  auto c = getResult().getType();
  int64_t rank = c.getRank();
  if ((rank != 2 && rank != 3) || a.getRank() != rank || b.getRank() != rank)
    return emitOpError() << "operands and result must be all 2-D or all 3-D (a batch of products)";
  // A batch: one product per index of the leading dimension, which every operand shares.
  int64_t batch = rank - 2;
  if (batch && (a.getDimSize(0) != c.getDimSize(0) || b.getDimSize(0) != c.getDimSize(0)))
    return emitOpError() << "batch sizes differ: " << a.getDimSize(0) << ", " << b.getDimSize(0) << " and "
                         << c.getDimSize(0);
  int64_t m = getTransposeLhs() ? a.getDimSize(batch + 1) : a.getDimSize(batch);
  int64_t ka = getTransposeLhs() ? a.getDimSize(batch) : a.getDimSize(batch + 1);
  int64_t kb = getTransposeRhs() ? b.getDimSize(batch + 1) : b.getDimSize(batch);
  int64_t n = getTransposeRhs() ? b.getDimSize(batch) : b.getDimSize(batch + 1);
  if (ka != kb)
    return emitOpError() << "contraction sizes differ: " << ka << " vs " << kb;
  if (c.getDimSize(batch) != m || c.getDimSize(batch + 1) != n)
    return emitOpError() << "result must be " << m << "x" << n << (batch ? " per batch" : "");
  if (a.getElementType() != c.getElementType() || b.getElementType() != c.getElementType())
    return emitOpError() << "element types of operands and result differ";
  return success();
}

static LogicalResult verifyAxis(Operation *op, int64_t axis, RankedTensorType type) {
  if (axis < 0 || axis >= type.getRank())
    return op->emitOpError() << "axis " << axis << " is out of range for rank " << type.getRank();
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifyAxis(*this, getAxis(), getResult().getType()); }
LogicalResult LogSoftmaxOp::verify() { return verifyAxis(*this, getAxis(), getResult().getType()); }

LogicalResult SoftmaxCrossEntropyOp::verify() {
  auto logits = getLogits().getType();
  auto labels = getLabels().getType();
  if (logits.getRank() != 2)
    return emitOpError() << "logits must be 2-D [batch, classes]";
  if (labels.getRank() != 1 || labels.getDimSize(0) != logits.getDimSize(0))
    return emitOpError() << "labels must be 1-D with one label per row of logits ("
                         << logits.getDimSize(0) << ")";
  if (getResult().getType().getRank() != 0)
    return emitOpError() << "result must be a scalar (rank-0) tensor";
  if (getResult().getType().getElementType() != logits.getElementType())
    return emitOpError() << "result element type must be the logits' element type";
  return success();
}

LogicalResult OneHotOp::verify() {
  auto labels = getLabels().getType();
  auto out = getResult().getType();
  if (out.getRank() != labels.getRank() + 1 ||
      out.getShape().drop_back() != labels.getShape())
    return emitOpError() << "result shape must be the labels' shape plus a class dimension";
  return success();
}

LogicalResult IotaOp::verify() {
  int64_t rank = getResult().getType().getRank();
  if (getDim() < 0 || getDim() >= rank)
    return emitOpError() << "dim " << getDim() << " is out of range for rank " << rank;
  return success();
}

LogicalResult ConvertFloatOp::verify() {
  auto in = getInput().getType(), out = getResult().getType();
  if (in.getShape() != out.getShape())
    return emitOpError() << "result shape must be the input's";
  if (in.getElementType() == out.getElementType())
    return emitOpError() << "converts to the type it has: " << in.getElementType();
  return success();
}

LogicalResult ToIntOp::verify() {
  if (getInput().getType().getShape() != getResult().getType().getShape())
    return emitOpError() << "result shape must be the input's";
  return success();
}

LogicalResult ToFloatOp::verify() {
  if (getInput().getType().getShape() != getResult().getType().getShape())
    return emitOpError() << "result shape must be the input's";
  return success();
}

/// The shape gather produces from `input` and `indices` along `axis`, or failure.
static FailureOr<SmallVector<int64_t>> gatheredShape(Operation *op, RankedTensorType input,
                                                     RankedTensorType indices, int64_t axis) {
  if (axis < 0 || axis >= input.getRank())
    return op->emitOpError() << "axis " << axis << " is out of range for rank " << input.getRank();
  SmallVector<int64_t> shape(input.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, input.getShape().drop_front(axis + 1));
  return shape;
}

LogicalResult GatherOp::verify() {
  auto shape = gatheredShape(*this, getInput().getType(), getIndices().getType(), getAxis());
  if (failed(shape))
    return failure();
  if (getResult().getType().getShape() != ArrayRef<int64_t>(*shape))
    return emitOpError() << "result shape must be the input's with dimension " << getAxis()
                         << " replaced by the indices' shape";
  return success();
}

LogicalResult GatherGradOp::verify() {
  auto shape = gatheredShape(*this, getResult().getType(), getIndices().getType(), getAxis());
  if (failed(shape))
    return failure();
  if (getAdjoint().getType().getShape() != ArrayRef<int64_t>(*shape))
    return emitOpError() << "adjoint shape must be the result's with dimension " << getAxis()
                         << " replaced by the indices' shape";
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Mlc/MlcOps.cpp.inc"

/// The window geometry itself, for a rank-4 image: sizes, positivity, and that a window fits
/// (spatial dimensions 2 and 3, or 1 and 2 channels last).
static LogicalResult verifyGeometry(Operation *op, RankedTensorType image, const WindowGeometry &g,
                                    bool channelsLast = false) {
  ArrayRef<int64_t> kernel = g.kernel, strides = g.strides, dilations = g.dilations, pads = g.pads;
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    return op->emitOpError() << "needs 2 kernel sizes, 2 strides, 2 dilations and 4 pads";
  for (int d = 0; d < 2; ++d)
    if (kernel[d] < 1 || strides[d] < 1 || dilations[d] < 1)
      return op->emitOpError() << "kernel sizes, strides and dilations must be positive";
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return op->emitOpError() << "pads must not be negative";
  int64_t h = channelsLast ? 1 : 2;
  if (g.outputSize(0, image.getDimSize(h)) < 1 || g.outputSize(1, image.getDimSize(h + 1)) < 1)
    return op->emitOpError() << "the window does not fit in the padded image";
  return success();
}

/// The image [N, C, H, W] and windows [N, OH, OW, C, KH, KW] of im2col / col2im agree with the
/// window attributes.
static LogicalResult verifyWindows(Operation *op, RankedTensorType image, RankedTensorType windows,
                                   const WindowGeometry &g) {
  if (image.getRank() != 4 || windows.getRank() != 6)
    return op->emitOpError() << "needs a rank-4 image and rank-6 windows, got ranks "
                             << image.getRank() << " and " << windows.getRank();
  if (failed(verifyGeometry(op, image, g)))
    return failure();
  if (windows != g.windowsType(image))
    return op->emitOpError() << "windows must be " << g.windowsType(image) << " for image " << image;
  return success();
}

LogicalResult Im2ColOp::verify() {
  return verifyWindows(*this, getInput().getType(), getResult().getType(), getGeometry());
}

LogicalResult Col2ImOp::verify() {
  return verifyWindows(*this, getResult().getType(), getInput().getType(), getGeometry());
}

LogicalResult DepthwiseConvOp::verify() {
  auto image = getInput().getType(), filters = getFilters().getType(), result = getResult().getType();
  WindowGeometry g = getGeometry();
  if (image.getRank() != 4 || filters.getRank() != 3)
    return emitOpError() << "needs a rank-4 image and rank-3 filters [C, KH, KW], got ranks "
                         << image.getRank() << " and " << filters.getRank();
  bool last = getChannelsLast();
  if (failed(verifyGeometry(*this, image, g, last)))
    return failure();
  int64_t c = image.getDimSize(last ? 3 : 1);
  if (filters.getShape() != ArrayRef<int64_t>{c, g.kernel[0], g.kernel[1]})
    return emitOpError() << "filters must be [" << c << ", " << g.kernel[0] << ", " << g.kernel[1] << "] for image "
                         << image << ", got " << filters;
  if (result != g.depthwiseType(image, last))
    return emitOpError() << "result must be " << g.depthwiseType(image, last) << " for image " << image;
  if (filters.getElementType() != image.getElementType())
    return emitOpError() << "image and filters must have one element type";
  return success();
}

LogicalResult DropoutOp::verify() {
  double ratio = getRatio().convertToDouble();
  if (!(ratio >= 0.0 && ratio < 1.0))
    return emitOpError() << "ratio must be in [0, 1), got " << ratio;
  if (getStream() < 0)
    return emitOpError() << "stream must not be negative";
  return success();
}

LogicalResult SliceOp::verify() {
  auto in = getInput().getType();
  auto out = getResult().getType();
  int64_t rank = in.getRank();
  if (out.getRank() != rank || static_cast<int64_t>(getOffsets().size()) != rank ||
      static_cast<int64_t>(getStrides().size()) != rank)
    return emitOpError() << "needs one offset and one stride per dimension and a result of rank " << rank;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t offset = getOffsets()[d], stride = getStrides()[d], size = out.getDimSize(d);
    if (offset < 0 || stride < 1 || size < 1)
      return emitOpError() << "dimension " << d << ": offsets must not be negative, strides and sizes must be positive";
    if (offset + stride * (size - 1) >= in.getDimSize(d))
      return emitOpError() << "dimension " << d << " reads past the input (size " << in.getDimSize(d) << ")";
  }
  if (in.getElementType() != out.getElementType())
    return emitOpError() << "element types of input and result differ";
  return success();
}

LogicalResult PadOp::verify() {
  auto in = getInput().getType();
  auto out = getResult().getType();
  int64_t rank = in.getRank();
  if (out.getRank() != rank || static_cast<int64_t>(getLow().size()) != rank ||
      static_cast<int64_t>(getHigh().size()) != rank || static_cast<int64_t>(getInterior().size()) != rank)
    return emitOpError() << "needs low, high and interior amounts per dimension and a result of rank " << rank;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t low = getLow()[d], high = getHigh()[d], interior = getInterior()[d];
    if (low < 0 || high < 0 || interior < 0)
      return emitOpError() << "pad amounts must not be negative";
    int64_t size = in.getDimSize(d);
    if (out.getDimSize(d) != low + size + (size - 1) * interior + high)
      return emitOpError() << "result dimension " << d << " must be " << low + size + (size - 1) * interior + high;
  }
  if (in.getElementType() != out.getElementType())
    return emitOpError() << "element types of input and result differ";
  return success();
}
