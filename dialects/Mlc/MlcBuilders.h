// Builders of common mlc op patterns (splat constants, broadcast, reshape, sum), shared by the VJP
// rules, the graph passes and the frontends.
#ifndef MLC_DIALECTS_MLC_MLCBUILDERS_H
#define MLC_DIALECTS_MLC_MLCBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlc {

/// A constant tensor of `type` with every element equal to `value`.
mlir::Value makeSplat(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
                      double value);

/// A splat constant of the same type as `like`.
mlir::Value makeSplatLike(mlir::OpBuilder &b, mlir::Location loc, mlir::Value like, double value);

/// `value` (any shape) broadcast to `type` along `dims` (mlc.broadcast), or `value` itself when the
/// types already agree.
mlir::Value broadcastTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                        mlir::RankedTensorType type, llvm::ArrayRef<int64_t> dims);

/// `value` reshaped to `type` (mlc.reshape), or `value` itself when the types already agree.
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      mlir::RankedTensorType type);

/// mlc.gather of `input` at `indices` along `axis`; the result's dimension `axis` becomes the
/// indices' shape.
mlir::Value gather(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input, mlir::Value indices,
                   int64_t axis);

/// `type` with its dimensions permuted: result dimension i is dimension perm[i] of `type`.
mlir::RankedTensorType permutedType(mlir::RankedTensorType type, llvm::ArrayRef<int64_t> perm);

/// `type` reduced over `dims`: those dimensions dropped (or kept as size 1).
mlir::RankedTensorType reducedType(mlir::RankedTensorType type, llvm::ArrayRef<int64_t> dims,
                                   bool keepDims);

/// Sum / maximum of `value` over `dims` (strictly increasing), with the reduced dimensions
/// dropped (or kept as size 1). No dimensions: `value` itself.
mlir::Value reduceSum(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      llvm::ArrayRef<int64_t> dims, bool keepDims);
mlir::Value reduceMax(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      llvm::ArrayRef<int64_t> dims, bool keepDims);

/// The window geometry of im2col / col2im (2-D): kernel, strides and dilations as [h, w], pads
/// as [top, left, bottom, right].
struct WindowGeometry {
  llvm::SmallVector<int64_t, 2> kernel, strides, dilations;
  llvm::SmallVector<int64_t, 4> pads;

  /// The number of windows along spatial dimension `d` (0: height, 1: width) of an input of
  /// `size`; negative when even one window does not fit.
  int64_t outputSize(int d, int64_t size) const;
  /// The windows tensor [N, OH, OW, C, KH, KW] of an image type [N, C, H, W].
  mlir::RankedTensorType windowsType(mlir::RankedTensorType image) const;
  /// A depthwise convolution's result [N, C, OH, OW] for an image type [N, C, H, W] (channels
  /// last: [N, OH, OW, C] for [N, H, W, C]).
  mlir::RankedTensorType depthwiseType(mlir::RankedTensorType image, bool channelsLast = false) const;
  /// The same windows over an image of `channels` channels last, viewed as [N, 1, H, W C]: rows of
  /// KW C elements stepping SW C (horizontal dilation 1 only), pads in elements.
  WindowGeometry overChannels(int64_t channels) const;
};

/// `image` [N, C, H, W] with `pads` [top, left, bottom, right] elements equal to `value` around its
/// spatial dimensions (mlc.pad), or `image` itself when every pad is 0.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc, mlir::Value image, llvm::ArrayRef<int64_t> pads,
                       double value = 0.0, bool channelsLast = false);

/// Window tap (kh, kw) of the already padded image: the image elements that tap of every window
/// reads, [N, C, OH, OW] (a strided mlc.slice).
mlir::Value windowTap(mlir::OpBuilder &b, mlir::Location loc, mlir::Value padded, const WindowGeometry &g,
                      int64_t kh, int64_t kw, mlir::RankedTensorType tapType, bool channelsLast = false);

/// mlc.depthwise_conv of `image` [N, C, H, W] with `filters` [C, KH, KW] over `geometry`.
mlir::Value depthwiseConv(mlir::OpBuilder &b, mlir::Location loc, mlir::Value image, mlir::Value filters,
                          const WindowGeometry &geometry, bool flipKernel = false, bool channelsLast = false);

/// mlc.im2col of `image` with `geometry`, padding with `padValue`.
mlir::Value im2col(mlir::OpBuilder &b, mlir::Location loc, mlir::Value image,
                   const WindowGeometry &geometry, double padValue);
/// mlc.col2im of `windows` back to `imageType`.
mlir::Value col2im(mlir::OpBuilder &b, mlir::Location loc, mlir::Value windows,
                   const WindowGeometry &geometry, mlir::RankedTensorType imageType);

} // namespace mlc

#endif
