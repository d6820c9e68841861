// mlc-param-layout: parameters stored in the layout their uses read, so that no step transposes
// its filters (forward) or their gradients (back to the model's layout).
//
// After mlc-channels-last every dense convolution reads its filters [F, C, KH, KW] as
// [KH, KW, C, F], and a Winograd convolution transforms them as the transposed matrix
// [F C, KH KW]: each step transposed every filter tensor once forward and its gradient once back
// (ResNet-18: 8 ms of a 273 ms step). Stored in the layout of those reads, the forward reads the
// argument itself and autodiff derives the gradient in that layout, which the optimizer's
// elementwise update and state share. The model's layout stays what checkpoints and exports hold:
// the argument says how it is stored (mlc.layout) and the trainer converts there.
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <optional>

namespace mlc {
#define GEN_PASS_DEF_PARAMLAYOUT
#include "compiler/Graph/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// The layout a reshape of `w` to a matrix reads when its only uses are as the transposed
/// right-hand side of products: [A, B]^T with A the leading dimensions of w and B the trailing
/// ones is w with the trailing dimensions first. None when the reshape is not such a read.
std::optional<SmallVector<int64_t>> transposedMatrixRead(ReshapeOp reshape, RankedTensorType w) {
  auto matrix = reshape.getResult().getType();
  if (matrix.getRank() != 2 || reshape->use_empty())
    return std::nullopt;
  for (OpOperand &use : reshape->getUses()) {
    auto mm = dyn_cast<MatmulOp>(use.getOwner());
    if (!mm || use.getOperandNumber() != 1 || !mm.getTransposeRhs() || mm.getLhs() == mm.getRhs())
      return std::nullopt;
  }
  int64_t rank = w.getRank(), leading = 1;
  for (int64_t s = 1; s < rank; ++s) {
    leading *= w.getDimSize(s - 1);
    if (leading != matrix.getDimSize(0))
      continue;
    SmallVector<int64_t> perm;
    for (int64_t d = s; d < rank; ++d)
      perm.push_back(d);
    for (int64_t d = 0; d < s; ++d)
      perm.push_back(d);
    return perm;
  }
  return std::nullopt;
}

/// The one layout every use of the parameter `w` reads, when they agree and it is not the
/// model's own.
std::optional<SmallVector<int64_t>> readLayout(BlockArgument w) {
  auto type = dyn_cast<RankedTensorType>(w.getType());
  if (!type || type.getRank() < 3 || w.use_empty())
    return std::nullopt;
  std::optional<SmallVector<int64_t>> layout;
  for (Operation *user : w.getUsers()) {
    std::optional<SmallVector<int64_t>> read;
    if (auto t = dyn_cast<TransposeOp>(user))
      read = SmallVector<int64_t>(t.getPermutation());
    else if (auto r = dyn_cast<ReshapeOp>(user))
      read = transposedMatrixRead(r, type);
    if (!read || (layout && *layout != *read))
      return std::nullopt;
    layout = read;
  }
  if (!layout || isIdentityPermutation(*layout))
    return std::nullopt;
  return layout;
}

/// `values` of a tensor of `shape`, permuted: stored dimension i is dimension perm[i].
SmallVector<float> permuteValues(ArrayRef<float> values, ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  int64_t rank = shape.size();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  SmallVector<float> out;
  out.reserve(values.size());
  SmallVector<int64_t> index(rank, 0); // over the stored shape
  for (size_t n = 0; n < values.size(); ++n) {
    int64_t from = 0;
    for (int64_t i = 0; i < rank; ++i)
      from += index[i] * strides[perm[i]];
    out.push_back(values[from]);
    for (int64_t i = rank - 1; i >= 0 && ++index[i] == shape[perm[i]]; --i)
      index[i] = 0;
  }
  return out;
}

struct ParamLayoutPass : public mlc::impl::ParamLayoutBase<ParamLayoutPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      for (BlockArgument w : func.getArguments())
        if (func.getArgAttr(w.getArgNumber(), attr::kParam))
          if (std::optional<SmallVector<int64_t>> layout = readLayout(w))
            if (failed(store(func, w, *layout)))
              return signalPassFailure();
    }
  }

  LogicalResult store(func::FuncOp func, BlockArgument w, ArrayRef<int64_t> layout) {
    unsigned i = w.getArgNumber();
    auto model = cast<RankedTensorType>(w.getType());
    RankedTensorType stored = permutedType(model, layout);
    Attribute init = func.getArgAttr(i, attr::kInitializer);
    if (init) {
      std::optional<SmallVector<float>> values = initialValues(init);
      if (!values)
        return func.emitError("mlc-param-layout: parameter '")
               << func.getArgAttrOfType<StringAttr>(i, attr::kParam).getValue() << "' has no readable f32 initial value";
      SmallVector<float> permuted = permuteValues(*values, model.getShape(), layout);
      // A blob stays a blob (the importer's parameters); a dense attribute stays readable in the IR.
      Attribute storedInit = DenseElementsAttr::get(stored, ArrayRef<float>(permuted));
      if (auto blob = dyn_cast<DenseF32ResourceElementsAttr>(init))
        storedInit = DenseF32ResourceElementsAttr::get(stored, blob.getRawHandle().getKey(),
                                                       HeapAsmResourceBlob::allocateAndCopyInferAlign<float>(permuted));
      func.setArgAttr(i, attr::kInitializer, storedInit);
    }
    OpBuilder b(func.getContext());
    func.setArgAttr(i, attr::kLayout, b.getDenseI64ArrayAttr(layout));
    w.setType(stored);
    func.setFunctionType(b.getFunctionType(func.getBody().getArgumentTypes(), func.getResultTypes()));
    for (Operation *user : llvm::make_early_inc_range(w.getUsers())) {
      if (auto t = dyn_cast<TransposeOp>(user)) {
        t.getResult().replaceAllUsesWith(w);
        t.erase();
        continue;
      }
      // A reshape read as the transposed right-hand side: the stored tensor as [B, A], read plainly.
      auto reshape = cast<ReshapeOp>(user);
      auto matrix = reshape.getResult().getType();
      b.setInsertionPoint(reshape);
      Value rows = reshapeTo(b, reshape.getLoc(), w,
                             RankedTensorType::get({matrix.getDimSize(1), matrix.getDimSize(0)}, matrix.getElementType()));
      for (Operation *use : llvm::make_early_inc_range(reshape->getUsers())) {
        auto mm = cast<MatmulOp>(use);
        b.setInsertionPoint(mm);
        auto plain = b.create<MatmulOp>(mm.getLoc(), mm.getResult().getType(), mm.getLhs(), rows,
                                        mm.getTransposeLhsAttr(), UnitAttr());
        for (NamedAttribute a : mm->getDiscardableAttrs())
          plain->setAttr(a.getName(), a.getValue());
        mm.getResult().replaceAllUsesWith(plain.getResult());
        mm.erase();
      }
      reshape.erase();
    }
    return success();
  }
};

} // namespace
