// An LLVM-stage module with an op that was not converted (mlc-check-contract stage=llvm).
module {
  llvm.func @train_step(%p: !llvm.ptr) {
    llvm.return
  }
  // expected-error @below {{stage 'llvm' breaks its contract: 'func.func' is not LLVM dialect}}
  func.func @leftover() {
    return
  }
}
