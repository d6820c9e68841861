// One place that registers every dialect, extension, pass and pipeline mlc uses (mlc and mlc-opt).
#ifndef MLC_COMPILER_INITALL_H
#define MLC_COMPILER_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlc {
/// Upstream dialects and interface models the pipelines rely on, the mlc dialect, and the VJP rules.
void registerAllDialects(mlir::DialectRegistry &registry);
/// Upstream passes, mlc's passes and mlc's named pipelines (for textual pipelines and mlc-opt).
void registerAllPasses();
} // namespace mlc

#endif
