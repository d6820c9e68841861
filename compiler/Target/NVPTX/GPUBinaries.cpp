// Reading the serialized GPU code (PTX text) out of a lowered CUDA module.
#include "compiler/Target/NVPTX/GPUBinaries.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;

LogicalResult mlc::collectPTX(ModuleOp module, std::string &ptx) {
  bool any = false;
  for (auto binary : module.getOps<gpu::BinaryOp>()) {
    for (Attribute attr : binary.getObjects()) {
      auto object = cast<gpu::ObjectAttr>(attr);
      if (object.getFormat() != gpu::CompilationTarget::Assembly)
        return binary.emitError("GPU binary @") << binary.getName() << " holds no PTX";
      // The serializer NUL-terminates PTX for the JIT.
      ptx += object.getObject().getValue().rtrim(StringRef("\0", 1)).str();
      any = true;
    }
  }
  if (!any)
    return module.emitError("the module has no GPU code");
  return success();
}
