// mlc-opt: mlir-opt with mlc's dialects, passes and pipelines registered.
#include "compiler/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlc::registerAllDialects(registry);
  mlc::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "mlc optimizer driver\n", registry));
}
