// mlc-gpu-matmul: f32 contractions become shared-memory tiled GEMM kernels on tensor cores
// (TF32 mma.sync m16n8k8 through the NVGPU dialect).
#include "compiler/Codegen/GPU/Passes.h"
#include "compiler/Codegen/Common/ScheduleUtils.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlc {
#define GEN_PASS_DEF_GPUMATMUL
#include "compiler/Codegen/GPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// A block computes a bm x bn tile of the output with a grid of warps; each warp owns
/// fragsM x fragsN tiles of 16x8 (one mma.sync each per 8-deep k step). K advances in bk steps
/// through shared memory.
struct GemmTiling {
  int64_t warpsM, warpsN, fragsM, fragsN;
  int64_t bk = 32;
  int64_t bm() const { return warpsM * fragsM * 16; }
  int64_t bn() const { return warpsN * fragsN * 8; }
  int64_t threads() const { return warpsM * warpsN * 32; }
};

/// Warp tiles of up to 32x32 and up to 2x2 warps: small outputs (N = 10 in a classifier head)
/// keep blocks that are mostly real work.
static GemmTiling chooseTiling(int64_t m, int64_t n) {
  GemmTiling t;
  t.fragsM = m > 16 ? 2 : 1;
  t.fragsN = std::min<int64_t>(4, llvm::divideCeil(n, 8));
  t.warpsM = m > 32 ? 2 : 1;
  t.warpsN = n > 32 ? 2 : 1;
  return t;
}

/// Shared-memory row padding (in elements) that spreads each warp's fragment loads over all
/// 32 banks: A rows of bk + 4 put lane (g, t) at bank 4g + t; B rows of bn + 8 at bank 8t + g.
constexpr int64_t kPadA = 4, kPadB = 8;

class GemmKernelBuilder {
public:
  GemmKernelBuilder(linalg::LinalgOp op, linalg::ContractionDimensions dims, GemmTiling tiling,
                    std::optional<Value> initValue, bool splitPrecision)
      : op(op), dims(dims), t(tiling), init(initValue), splitPrecision(splitPrecision),
        b(op.getLoc(), op) {
    ranges = op.getStaticLoopRanges();
    sizeM = ranges[dims.m[0]];
    sizeN = ranges[dims.n[0]];
    sizeK = ranges[dims.k[0]];
  }

  void build() {
    Type f32 = b.getF32Type();
    int64_t batch = dims.batch.empty() ? 1 : ranges[dims.batch[0]];
    auto launch = b.create<gpu::LaunchOp>(c(llvm::divideCeil(sizeN, t.bn())),
                                          c(llvm::divideCeil(sizeM, t.bm())), c(batch),
                                          c(t.threads()), c(1), c(1));
    auto shared = gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
    Value tileA = launch.addWorkgroupAttribution(
        MemRefType::get({t.bm(), t.bk + kPadA}, f32, AffineMap(), shared), b.getLoc());
    Value tileB = launch.addWorkgroupAttribution(
        MemRefType::get({t.bk, t.bn() + kPadB}, f32, AffineMap(), shared), b.getLoc());
    b.setInsertionPointToStart(&launch.getBody().front());
    auto terminator = b.create<gpu::TerminatorOp>();
    b.setInsertionPoint(terminator);

    tid = launch.getThreadIds().x;
    batchId = launch.getBlockIds().z;
    Value lane = b.create<arith::RemUIOp>(tid, c(32));
    Value warp = b.create<arith::DivUIOp>(tid, c(32));
    group = b.create<arith::DivUIOp>(lane, c(4));
    inGroup = b.create<arith::RemUIOp>(lane, c(4));
    blockRow = mul(launch.getBlockIds().y, t.bm());
    blockCol = mul(launch.getBlockIds().x, t.bn());
    warpRow = mul(b.create<arith::DivUIOp>(warp, c(t.warpsN)), t.fragsM * 16);
    warpCol = mul(b.create<arith::RemUIOp>(warp, c(t.warpsN)), t.fragsN * 8);

    SmallVector<Value> accs = initialAccumulators();
    auto kLoop = b.create<scf::ForOp>(c(0), c(sizeK), c(t.bk), accs);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    stageTile(*op.getDpsInputOperand(0), dims.m[0], t.bm(), k0, tileA, /*kFirst=*/false);
    stageTile(*op.getDpsInputOperand(1), dims.n[0], t.bn(), k0, tileB, /*kFirst=*/true);
    b.create<gpu::BarrierOp>();
    SmallVector<Value> next(kLoop.getRegionIterArgs());
    for (int64_t kk = 0; kk < t.bk; kk += 8)
      multiplyStep(tileA, tileB, kk, next);
    // The next iteration overwrites the tiles: every warp must be done reading them.
    b.create<gpu::BarrierOp>();
    b.create<scf::YieldOp>(next);
    b.setInsertionPointAfter(kLoop);
    storeAccumulators(kLoop.getResults());
  }

private:
  Value c(int64_t v) { return b.create<arith::ConstantIndexOp>(v); }
  Value add(Value x, Value y) { return b.create<arith::AddIOp>(x, y); }
  Value add(Value x, int64_t y) { return y == 0 ? x : add(x, c(y)); }
  Value mul(Value x, int64_t y) { return b.create<arith::MulIOp>(x, c(y)); }

  /// Indices into `operand` of the iteration point whose dimensions are given by `point`.
  SmallVector<Value> indicesOf(OpOperand &operand, DenseMap<unsigned, Value> point) {
    if (!dims.batch.empty())
      point[dims.batch[0]] = batchId;
    SmallVector<Value> indices;
    for (AffineExpr e : op.getMatchingIndexingMap(&operand).getResults())
      indices.push_back(point.lookup(cast<AffineDimExpr>(e).getPosition()));
    return indices;
  }

  /// Reads operand at `point`, or 0 outside the iteration space (partial edge tiles): the index
  /// is clamped so that the load stays in bounds, then the value is replaced.
  Value loadOrZero(OpOperand &operand, DenseMap<unsigned, Value> point) {
    Value inBounds;
    for (auto &[dim, index] : point) {
      int64_t size = ranges[dim];
      if (size % tileOf(dim) == 0)
        continue; // tiles divide this dimension: never out of bounds
      Value ok = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, index, c(size));
      inBounds = inBounds ? b.create<arith::AndIOp>(inBounds, ok).getResult() : ok;
      index = b.create<arith::MinUIOp>(index, c(size - 1));
    }
    Value value = b.create<memref::LoadOp>(operand.get(), indicesOf(operand, point));
    if (!inBounds)
      return value;
    Value zero = b.create<arith::ConstantOp>(b.getF32FloatAttr(0));
    return b.create<arith::SelectOp>(inBounds, value, zero);
  }

  /// All threads copy the operand's tile for (this block, k0) into shared memory, stored as
  /// [outer][k] (A, kFirst = false) or [k][outer] (B). Neighbouring threads read neighbouring
  /// elements of the operand's contiguous (last) dimension, whichever it is.
  void stageTile(OpOperand &operand, unsigned outerDim, int64_t outerTile, Value k0, Value tile,
                 bool kFirst) {
    unsigned kDim = dims.k[0];
    AffineMap map = op.getMatchingIndexingMap(&operand);
    bool kContiguous = cast<AffineDimExpr>(map.getResults().back()).getPosition() == kDim;
    int64_t innerSize = kContiguous ? t.bk : outerTile;
    int64_t perThread = outerTile * t.bk / t.threads();
    Value outerBase = outerDim == dims.m[0] ? blockRow : blockCol;
    auto loop = b.create<scf::ForOp>(c(0), c(perThread), c(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value e = add(mul(loop.getInductionVar(), t.threads()), tid);
    Value inner = b.create<arith::RemUIOp>(e, c(innerSize));
    Value outer = b.create<arith::DivUIOp>(e, c(innerSize));
    Value kIndex = kContiguous ? inner : outer, oIndex = kContiguous ? outer : inner;
    Value v = loadOrZero(operand, {{kDim, add(k0, kIndex)}, {outerDim, add(outerBase, oIndex)}});
    SmallVector<Value> at = kFirst ? SmallVector<Value>{kIndex, oIndex}
                                   : SmallVector<Value>{oIndex, kIndex};
    b.create<memref::StoreOp>(v, tile, at);
  }

  /// Builds a fragment vector<N x 1> from shared-memory elements at (row, col) pairs.
  Value fragment(Value tile, ArrayRef<std::pair<Value, Value>> at) {
    auto type = VectorType::get({(int64_t)at.size(), 1}, b.getF32Type());
    Value frag = b.create<arith::ConstantOp>(type, DenseElementsAttr::get(type, 0.0f));
    for (auto [i, rc] : llvm::enumerate(at)) {
      Value v = b.create<memref::LoadOp>(tile, ValueRange{rc.first, rc.second});
      frag = b.create<vector::InsertOp>(v, frag, ArrayRef<int64_t>{(int64_t)i, 0});
    }
    return frag;
  }

  /// One 8-deep k step: every warp multiplies its A fragments by its B fragments. The register
  /// layouts are PTX's for mma.m16n8k8 .tf32 (group g = lane / 4, t = lane % 4):
  /// A a0..a3 = (g, t), (g+8, t), (g, t+4), (g+8, t+4); B b0, b1 = (k t, n g), (k t+4, n g).
  /// With split precision each operand is hi + lo (hi: x with its low 13 bits cleared, exactly a
  /// TF32 number; lo = x - hi, exact in f32) and the product is lo*hi + hi*lo + hi*hi: three
  /// tensor-core passes with about f32 accuracy (lo*lo is below f32's rounding).
  void multiplyStep(Value tileA, Value tileB, int64_t kk, SmallVector<Value> &accs) {
    Value k = add(inGroup, kk), k4 = add(inGroup, kk + 4);
    SmallVector<std::pair<Value, Value>> fragsA, fragsB;
    for (int64_t fm = 0; fm < t.fragsM; ++fm) {
      Value row = add(add(warpRow, fm * 16), group), row8 = add(row, 8);
      fragsA.push_back(split(fragment(tileA, {{row, k}, {row8, k}, {row, k4}, {row8, k4}})));
    }
    for (int64_t fn = 0; fn < t.fragsN; ++fn) {
      Value col = add(add(warpCol, fn * 8), group);
      fragsB.push_back(split(fragment(tileB, {{k, col}, {k4, col}})));
    }
    auto mma = [&](Value a, Value bFrag, Value acc) -> Value {
      return b.create<nvgpu::MmaSyncOp>(a, bFrag, acc, ArrayRef<int64_t>{16, 8, 8},
                                        /*tf32Enabled=*/true);
    };
    for (int64_t fm = 0; fm < t.fragsM; ++fm)
      for (int64_t fn = 0; fn < t.fragsN; ++fn) {
        auto [aHi, aLo] = fragsA[fm];
        auto [bHi, bLo] = fragsB[fn];
        Value &acc = accs[fm * t.fragsN + fn];
        if (splitPrecision) { // small terms first
          acc = mma(aLo, bHi, acc);
          acc = mma(aHi, bLo, acc);
        }
        acc = mma(aHi, bHi, acc);
      }
  }

  /// (hi, lo) parts of a fragment for split precision; (x, null) otherwise.
  std::pair<Value, Value> split(Value x) {
    if (!splitPrecision)
      return {x, Value()};
    auto type = cast<VectorType>(x.getType());
    auto bitsType = VectorType::get(type.getShape(), b.getI32Type());
    auto mask = DenseElementsAttr::get(bitsType, static_cast<int32_t>(0xFFFFE000u));
    Value bits = b.create<arith::BitcastOp>(bitsType, x);
    Value hiBits = b.create<arith::AndIOp>(bits, b.create<arith::ConstantOp>(bitsType, mask));
    Value hi = b.create<arith::BitcastOp>(type, hiBits);
    return {hi, b.create<arith::SubFOp>(x, hi)};
  }

  /// Output coordinates of accumulator element (i, j) of fragment (fm, fn): C c0..c3 are
  /// (g, 2t), (g, 2t+1), (g+8, 2t), (g+8, 2t+1), as vector<2x2> rows (i) and columns (j).
  std::pair<Value, Value> outputAt(int64_t fm, int64_t fn, int64_t i, int64_t j) {
    Value row = add(add(add(blockRow, warpRow), fm * 16 + 8 * i), group);
    Value col = add(add(add(blockCol, warpCol), fn * 8 + j), mul(inGroup, 2));
    return {row, col};
  }

  int64_t tileOf(unsigned dim) const {
    return dim == dims.m[0] ? t.bm() : dim == dims.n[0] ? t.bn() : t.bk;
  }

  bool needsBoundsCheck() const { return sizeM % t.bm() != 0 || sizeN % t.bn() != 0; }

  /// The accumulators start from the folded fill value, or from the output's current contents.
  SmallVector<Value> initialAccumulators() {
    auto type = VectorType::get({2, 2}, b.getF32Type());
    SmallVector<Value> accs;
    for (int64_t fm = 0; fm < t.fragsM; ++fm)
      for (int64_t fn = 0; fn < t.fragsN; ++fn) {
        if (init) {
          accs.push_back(b.create<vector::SplatOp>(type, *init));
          continue;
        }
        Value acc = b.create<arith::ConstantOp>(type, DenseElementsAttr::get(type, 0.0f));
        for (int64_t i = 0; i < 2; ++i)
          for (int64_t j = 0; j < 2; ++j) {
            auto [row, col] = outputAt(fm, fn, i, j);
            Value v = loadOrZero(*op.getDpsInitOperand(0), {{dims.m[0], row}, {dims.n[0], col}});
            acc = b.create<vector::InsertOp>(v, acc, ArrayRef<int64_t>{i, j});
          }
        accs.push_back(acc);
      }
    return accs;
  }

  void storeAccumulators(ValueRange accs) {
    OpOperand &out = *op.getDpsInitOperand(0);
    for (int64_t fm = 0; fm < t.fragsM; ++fm)
      for (int64_t fn = 0; fn < t.fragsN; ++fn)
        for (int64_t i = 0; i < 2; ++i)
          for (int64_t j = 0; j < 2; ++j) {
            auto [row, col] = outputAt(fm, fn, i, j);
            Value v = b.create<vector::ExtractOp>(accs[fm * t.fragsN + fn], ArrayRef<int64_t>{i, j});
            OpBuilder::InsertionGuard guard(b);
            if (needsBoundsCheck()) {
              Value ok = b.create<arith::AndIOp>(
                  b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, row, c(sizeM)),
                  b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, col, c(sizeN)));
              auto guarded = b.create<scf::IfOp>(ok, /*withElseRegion=*/false);
              b.setInsertionPoint(guarded.thenBlock()->getTerminator());
            }
            b.create<memref::StoreOp>(v, out.get(),
                                      indicesOf(out, {{dims.m[0], row}, {dims.n[0], col}}));
          }
  }

  linalg::LinalgOp op;
  linalg::ContractionDimensions dims;
  GemmTiling t;
  std::optional<Value> init;
  bool splitPrecision;
  ImplicitLocOpBuilder b;
  SmallVector<int64_t> ranges;
  int64_t sizeM, sizeN, sizeK;
  Value tid, batchId, group, inGroup, blockRow, blockCol, warpRow, warpCol;
};

struct GPUMatmulPass : public mlc::impl::GPUMatmulBase<GPUMatmulPass> {
  using GPUMatmulBase::GPUMatmulBase;

  void runOnOperation() override {
    if (precision != "fp32" && precision != "tf32") {
      getOperation().emitError("mlc-gpu-matmul: precision must be fp32 or tf32, not '")
          << precision << "'";
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      // Ops inside foralls were scheduled per thread already (mlc-gpu-schedule).
      if (op.hasPureBufferSemantics() && !op->getParentOfType<gpu::LaunchOp>() &&
          !op->getParentOfType<scf::ForallOp>())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      auto dims = mlc::tensorCoreContraction(op);
      if (!dims)
        continue;
      std::optional<Value> init;
      linalg::FillOp fill = mlc::precedingFill(op, *op.getDpsInitOperand(0));
      if (fill)
        init = fill.getInputs()[0];
      auto ranges = op.getStaticLoopRanges();
      GemmKernelBuilder(op, *dims, chooseTiling(ranges[dims->m[0]], ranges[dims->n[0]]), init,
                        /*splitPrecision=*/precision == "fp32")
          .build();
      if (fill)
        fill.erase();
      op.erase();
    }
  }
};

} // namespace
