// Winograd convolution F(m x m, 3 x 3) (Lavin and Gray, 2016) built from mlc ops.
//
// Per input tile d ((m + 2) x (m + 2), overlapping by 2) and filter g (3 x 3), the m x m outputs
// are A^T [(G g G^T) . (B^T d B)] A: an elementwise product per transform point instead of a
// 3x3 window per output. Over channels the elementwise products become one matrix product per
// point, [tiles, C] x [C, F]: (m + 2)^2 products of m^2 outputs each instead of 9 multiply-adds
// per output (2.25x fewer for m = 2, 4x for m = 4). The 2-D transforms are products with the
// Kronecker squares of B^T, G and A^T (constants), so that every step is a GEMM the targets
// already schedule, and the gradients come from the same rules: the adjoint of a product per
// point is a product per point.
#include "dialects/Mlc/WinogradConv.h"

#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cassert>
#include <vector>

using namespace mlir;

namespace mlc {
namespace {

/// The transform matrices of F(m, 3) for interpolation points 0, -1, 1 (m = 2) and 0, +-1, +-2
/// (m = 4), with the point at infinity: B^T [(m+2) x (m+2)], G [(m+2) x 3], A^T [m x (m+2)].
struct Transforms {
  int64_t m;
  std::vector<std::vector<double>> bt, g, at;
};

const Transforms &transformsFor(int64_t m) {
  static const Transforms f2{2,
                             {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
                             {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
                             {{1, 1, 1, 0}, {0, 1, -1, -1}}};
  static const Transforms f4{4,
                             {{4, 0, -5, 0, 1, 0},
                              {0, -4, -4, 1, 1, 0},
                              {0, 4, -4, -1, 1, 0},
                              {0, -2, -1, 2, 1, 0},
                              {0, 2, -1, -2, 1, 0},
                              {0, 4, 0, -5, 0, 1}},
                             {{1.0 / 4, 0, 0},
                              {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                              {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                              {1.0 / 24, 1.0 / 12, 1.0 / 6},
                              {1.0 / 24, -1.0 / 12, 1.0 / 6},
                              {0, 0, 1}},
                             {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}}};
  assert((m == 2 || m == 4) && "F(m, 3) is built for m = 2 and m = 4");
  return m == 2 ? f2 : f4;
}

/// The Kronecker square of `t` [r x c] as a constant [r * r, c * c]: row (u, v), column (i, j)
/// holds t[u][i] * t[v][j], so that it maps a row-major c x c tile X to t X t^T.
Value kroneckerSquare(OpBuilder &b, Location loc, const std::vector<std::vector<double>> &t, Type elt) {
  int64_t r = t.size(), c = t.front().size();
  std::vector<double> values;
  values.reserve(r * r * c * c);
  for (int64_t u = 0; u < r; ++u)
    for (int64_t v = 0; v < r; ++v)
      for (int64_t i = 0; i < c; ++i)
        for (int64_t j = 0; j < c; ++j)
          values.push_back(t[u][i] * t[v][j]);
  auto type = RankedTensorType::get({r * r, c * c}, elt);
  if (elt.isF64())
    return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, llvm::ArrayRef<double>(values)));
  std::vector<float> narrow(values.begin(), values.end());
  return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, llvm::ArrayRef<float>(narrow)));
}

RankedTensorType tensorType(ArrayRef<int64_t> shape, Type elt) { return RankedTensorType::get(shape, elt); }

Value matmul(OpBuilder &b, Location loc, RankedTensorType type, Value lhs, Value rhs, bool transposeRhs) {
  return b.create<MatmulOp>(loc, type, lhs, rhs, UnitAttr(), transposeRhs ? b.getUnitAttr() : UnitAttr());
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

} // namespace

int64_t convMultiplyAdds(int64_t oh, int64_t ow, int64_t channels, int64_t filters, int64_t tile) {
  if (tile == 0)
    return 9 * oh * ow * channels * filters;
  int64_t points = (tile + 2) * (tile + 2), tiles = ceilDiv(oh, tile) * ceilDiv(ow, tile);
  // Per tile and point: the product over channels, the input transform (one row of the
  // constant per channel) and the output transform (one column per output and filter).
  return tiles * points * (channels * filters + points * channels + tile * tile * filters);
}

int64_t bestWinogradTile(int64_t oh, int64_t ow, int64_t channels, int64_t filters, double minGain) {
  int64_t best = 0;
  double bestCost = static_cast<double>(convMultiplyAdds(oh, ow, channels, filters, 0)) / minGain;
  for (int64_t m : kWinogradTiles) {
    double cost = static_cast<double>(convMultiplyAdds(oh, ow, channels, filters, m));
    if (cost < bestCost) {
      best = m;
      bestCost = cost;
    }
  }
  return best;
}

int64_t chooseWinogradTile(ConvAlgorithm algorithm, int64_t oh, int64_t ow, int64_t channels, int64_t filters) {
  switch (algorithm) {
  case ConvAlgorithm::Im2Col:
    return 0;
  case ConvAlgorithm::Winograd:
    return bestWinogradTile(oh, ow, channels, filters, /*minGain=*/0.0);
  case ConvAlgorithm::Auto:
    break;
  }
  return bestWinogradTile(oh, ow, channels, filters, /*minGain=*/1.4);
}

Value winogradConv3x3(OpBuilder &b, Location loc, Value image, Value filters, ArrayRef<int64_t> pads,
                      int64_t tile) {
  const Transforms &t = transformsFor(tile);
  auto it = cast<RankedTensorType>(image.getType());
  auto ft = cast<RankedTensorType>(filters.getType());
  Type elt = it.getElementType();
  int64_t n = it.getDimSize(0), c = it.getDimSize(1), h = it.getDimSize(2), w = it.getDimSize(3);
  int64_t f = ft.getDimSize(0);
  int64_t oh = h + pads[0] + pads[2] - 2, ow = w + pads[1] + pads[3] - 2;
  int64_t th = ceilDiv(oh, tile), tw = ceilDiv(ow, tile), a = tile + 2, points = a * a;
  int64_t tiles = n * th * tw;

  // Input tiles: (m + 2)-square windows at stride m, the bottom and right padded so that they
  // cover ceil(OH / m) x ceil(OW / m) output tiles. [N, TH, TW, C, a, a] -> [N TH TW C, a a].
  WindowGeometry tilesGeometry{{a, a}, {tile, tile}, {1, 1}, {pads[0], pads[1], th * tile + 2 - h - pads[0],
                                                               tw * tile + 2 - w - pads[1]}};
  Value windows = im2col(b, loc, image, tilesGeometry, 0.0);
  windows = reshapeTo(b, loc, windows, tensorType({tiles * c, points}, elt));
  // V = B^T d B per tile and channel, point-major: [a a, N TH TW, C].
  Value v = matmul(b, loc, tensorType({points, tiles * c}, elt), kroneckerSquare(b, loc, t.bt, elt), windows,
                   /*transposeRhs=*/true);
  v = reshapeTo(b, loc, v, tensorType({points, tiles, c}, elt));
  // U = G g G^T per filter and channel: [a a, F, C].
  Value flat = reshapeTo(b, loc, filters, tensorType({f * c, 9}, elt));
  Value u = matmul(b, loc, tensorType({points, f * c}, elt), kroneckerSquare(b, loc, t.g, elt), flat,
                   /*transposeRhs=*/true);
  u = reshapeTo(b, loc, u, tensorType({points, f, c}, elt));
  // One product per point, [tiles, C] x [C, F], or its transpose [F, C] x [C, tiles] when the
  // filters outnumber the tiles (the deep layers of a small image): lowering materializes the
  // transposed right-hand side, so the smaller operand should be that one.
  bool tilesMajor = tiles >= f;
  Value products = tilesMajor ? matmul(b, loc, tensorType({points, tiles, f}, elt), v, u, /*transposeRhs=*/true)
                              : matmul(b, loc, tensorType({points, f, tiles}, elt), u, v, /*transposeRhs=*/true);
  // Y = A^T M A per tile and filter: [m m, tiles F] (or [m m, F tiles]) -> [N, F, TH m, TW m],
  // then cut to OH x OW.
  products = reshapeTo(b, loc, products, tensorType({points, tiles * f}, elt));
  Value y = matmul(b, loc, tensorType({tile * tile, tiles * f}, elt), kroneckerSquare(b, loc, t.at, elt),
                   products, /*transposeRhs=*/false);
  if (tilesMajor) {
    y = reshapeTo(b, loc, y, tensorType({tile, tile, n, th, tw, f}, elt));
    y = b.create<TransposeOp>(loc, tensorType({n, f, th, tile, tw, tile}, elt), y,
                              b.getDenseI64ArrayAttr({2, 5, 3, 0, 4, 1}));
  } else {
    y = reshapeTo(b, loc, y, tensorType({tile, tile, f, n, th, tw}, elt));
    y = b.create<TransposeOp>(loc, tensorType({n, f, th, tile, tw, tile}, elt), y,
                              b.getDenseI64ArrayAttr({3, 2, 4, 0, 5, 1}));
  }
  y = reshapeTo(b, loc, y, tensorType({n, f, th * tile, tw * tile}, elt));
  if (th * tile != oh || tw * tile != ow)
    y = b.create<SliceOp>(loc, tensorType({n, f, oh, ow}, elt), y, b.getDenseI64ArrayAttr({0, 0, 0, 0}),
                          b.getDenseI64ArrayAttr({1, 1, 1, 1}));
  return y;
}

} // namespace mlc
