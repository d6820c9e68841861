// The sliding-window attributes shared by ONNX Conv and the pooling ops: kernel, strides,
// dilations, pads / auto_pad and ceil_mode, for 1-D and 2-D inputs.
#ifndef MLC_FRONTENDS_ONNX_WINDOWS_H
#define MLC_FRONTENDS_ONNX_WINDOWS_H

#include "dialects/Mlc/MlcBuilders.h"
#include "frontends/onnx/NodeImporter.h"

namespace mlc::onnx_import {

/// A node's input seen as an image [N, C, H, W]: 1-D inputs [N, C, L] get a width of 1.
struct NodeWindows {
  mlir::Value image;
  WindowGeometry geometry;
  /// The pads the node declares (or auto_pad implies), without ceil_mode's extra end padding.
  llvm::SmallVector<int64_t, 4> declaredPads;
  /// The rank of the node's input (3 or 4): the output is reshaped back to it.
  int64_t rank = 4;

  mlir::RankedTensorType imageType() const {
    return mlir::cast<mlir::RankedTensorType>(image.getType());
  }
  /// The output [N, channels, OH, OW] (or [N, channels, OL] for 1-D inputs).
  mlir::RankedTensorType outputType(int64_t channels) const;
  /// `v` [N, channels, OH, OW] reshaped to the node's output rank.
  mlir::Value toNodeRank(NodeContext &ctx, mlir::Value v) const;
};

/// Reads the window attributes of `ctx`'s node for input `x` and `kernel` (the spatial kernel
/// sizes, one per spatial dimension of x). `ceilMode` rounds the number of windows up (pooling).
NodeWindows readWindows(NodeContext &ctx, mlir::Value x, llvm::ArrayRef<int64_t> kernel,
                        bool ceilMode);

/// The integer list attribute `name` with `size` entries, or `size` copies of `dflt` when absent.
llvm::SmallVector<int64_t> intsAttr(const NodeContext &ctx, const char *name, size_t size,
                                    int64_t dflt);

} // namespace mlc::onnx_import

#endif
