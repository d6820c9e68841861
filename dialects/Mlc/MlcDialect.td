// The mlc dialect definition.
#ifndef MLC_DIALECT_TD
#define MLC_DIALECT_TD

include "mlir/IR/OpBase.td"

def Mlc_Dialect : Dialect {
  let name = "mlc";
  let cppNamespace = "::mlc";
  let summary = "Core tensor ops of mlc's training graphs";
  let description = [{
    A small set of statically shaped tensor ops, closed under differentiation: every op whose
    operands can carry gradients implements `VJPOpInterface`, and the adjoint of every op is built
    from ops of this set. Frontends decompose richer operator sets (ONNX) into these ops.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::func::FuncDialect"];
}

class Mlc_Op<string mnemonic, list<Trait> traits = []> : Op<Mlc_Dialect, mnemonic, traits>;

#endif // MLC_DIALECT_TD
