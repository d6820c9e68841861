// Winograd convolution F(m x m, 3 x 3) as mlc ops: the image and the filters transformed by
// constant matrices, one matrix product per transform point, the products transformed back.
#ifndef MLC_DIALECTS_MLC_WINOGRADCONV_H
#define MLC_DIALECTS_MLC_WINOGRADCONV_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlc {

/// How a frontend builds dense 3x3 stride-1 convolutions: by the cost model below (auto), always
/// as windows times filters (im2col), or by Winograd wherever it applies.
enum class ConvAlgorithm { Auto, Im2Col, Winograd };

/// Output tile sizes m of the F(m x m, 3 x 3) algorithms mlc builds (tiles of m + 2 inputs).
inline constexpr int64_t kWinogradTiles[] = {2, 4};

/// Multiply-adds per image of a 3x3 stride-1 convolution with `channels` inputs and `filters`
/// outputs over an `oh` x `ow` output: directly (tile 0) or by F(tile x tile, 3 x 3), transforms
/// included (mlc computes each as a product with a constant matrix).
int64_t convMultiplyAdds(int64_t oh, int64_t ow, int64_t channels, int64_t filters, int64_t tile);

/// The tile size with the fewest multiply-adds, or 0 when the direct convolution needs fewer than
/// `minGain` times the best of them.
int64_t bestWinogradTile(int64_t oh, int64_t ow, int64_t channels, int64_t filters, double minGain);

/// The tile that `algorithm` picks for such a convolution (0: direct). Auto asks Winograd for
/// 1.4x fewer multiply-adds: its transforms stream more memory per multiply-add than a GEMM.
int64_t chooseWinogradTile(ConvAlgorithm algorithm, int64_t oh, int64_t ow, int64_t channels, int64_t filters);

/// The 3x3 stride-1, dilation-1 convolution of `image` [N, C, H, W] with `filters` [F, C, 3, 3]
/// and `pads` [top, left, bottom, right] by F(tile x tile, 3 x 3): [N, F, OH, OW].
/// Built from im2col (overlapping input tiles), mlc.matmul with constant transform matrices and
/// a batched mlc.matmul, so its gradients are Winograd's too (products per point, transposed
/// transforms).
mlir::Value winogradConv3x3(mlir::OpBuilder &b, mlir::Location loc, mlir::Value image, mlir::Value filters,
                            llvm::ArrayRef<int64_t> pads, int64_t tile);

} // namespace mlc

#endif
