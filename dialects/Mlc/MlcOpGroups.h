// Op groups: what a step's op does (convolution forward, its two gradients, GEMM, ...), for the
// compiler's --report and the trainer's --profile. Graph-level ops carry the group as a
// discardable attribute that lowering copies onto the linalg op it creates. The runtime reads the
// names back from profile_op records against mlc_names.h's kOpGroups, which must list them all
// (its strict metadata parser rejects any other name, so a trainer would not start).
#ifndef MLC_DIALECTS_MLC_MLCOPGROUPS_H
#define MLC_DIALECTS_MLC_MLCOPGROUPS_H

#include "llvm/ADT/StringRef.h"

namespace mlc::group {
inline constexpr llvm::StringLiteral kAttr = "mlc.op_group";

inline constexpr llvm::StringLiteral kConvForward = "conv_fwd";
inline constexpr llvm::StringLiteral kConvBackwardData = "conv_bwd_data";
inline constexpr llvm::StringLiteral kConvBackwardWeights = "conv_bwd_weights";
// im2col / col2im (of convolutions and pools), the padding they read and the transforms of
// Winograd convolutions: data movement into and out of the layouts the products need.
inline constexpr llvm::StringLiteral kWindows = "windows";
inline constexpr llvm::StringLiteral kGemm = "gemm";
inline constexpr llvm::StringLiteral kElementwise = "elementwise";
inline constexpr llvm::StringLiteral kReduction = "reduction";
// Transposes and copies: data movement that a better layout would avoid.
inline constexpr llvm::StringLiteral kLayout = "layout";
inline constexpr llvm::StringLiteral kGather = "gather";
inline constexpr llvm::StringLiteral kOptimizer = "optimizer";
inline constexpr llvm::StringLiteral kFill = "fill";
} // namespace mlc::group

#endif
