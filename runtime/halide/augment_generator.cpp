// Halide generator of the training-time image augmentation, compiled ahead of time at build time
// (this program links Halide and its LLVM 14; the trainer only links the object it writes).
//
// One pass per batch: output(x, y, c, n) is the input image n sampled bilinearly (zero outside) at
// the inverse affine map of the sample's parameters (crop offset, flips, rotation, translation,
// shear, zoom in one matrix), then scaled by the brightness factor and blended with its own mean by
// the contrast factor, then zeroed inside the cutout box. Parameters per sample, params(k, n):
//   0..5   a00 a01 a02 a10 a11 a12: source = A * (x + 0.5, y + 0.5, 1) - 0.5 (pixel centers)
//   6      brightness factor b       7   contrast factor c
//   8..11  cutout box x0 y0 x1 y1 (half-open; empty when x0 >= x1)
// v' = c * b * v + (1 - c) * m with m the mean of b * v over the image: torchvision's ColorJitter for
// one channel, without clamping (inputs may be standardized, outside [0, 1]); for several channels
// m is the plain mean over all of them, not torchvision's luminance-weighted gray.
#include "Halide.h"

namespace {

using namespace Halide;

class Augment : public Generator<Augment> {
 public:
  Input<Buffer<float, 4>> input{"input"};    // x, y, c, n: a batch of NCHW images
  Input<Buffer<float, 2>> params{"params"};  // k, n
  Output<Buffer<float, 4>> output{"output"};

  void generate() {
    Var x("x"), y("y"), c("c"), n("n");
    Func zero_outside = BoundaryConditions::constant_exterior(input, 0.0f);
    auto p = [&](int k) { return params(k, n); };
    Expr fx = cast<float>(x) + 0.5f, fy = cast<float>(y) + 0.5f;
    Expr sx = p(0) * fx + p(1) * fy + p(2) - 0.5f;
    Expr sy = p(3) * fx + p(4) * fy + p(5) - 0.5f;
    Expr fl_x = floor(sx), fl_y = floor(sy);
    Expr ix = cast<int>(fl_x), iy = cast<int>(fl_y);
    Expr ax = sx - fl_x, ay = sy - fl_y;
    // a + (b - a) w rather than lerp's a (1 - w) + b w: a weight of 0 (integer shifts, flips)
    // then copies a pixel exactly, and the C++ reference computes the same expression.
    auto mix = [](Expr a, Expr b, Expr w) { return a + (b - a) * w; };
    Func warped("warped");
    warped(x, y, c, n) = mix(mix(zero_outside(ix, iy, c, n), zero_outside(ix + 1, iy, c, n), ax),
                             mix(zero_outside(ix, iy + 1, c, n), zero_outside(ix + 1, iy + 1, c, n), ax), ay) *
                         p(6);

    RDom r(0, input.dim(0).extent(), 0, input.dim(1).extent(), 0, input.dim(2).extent());
    Func mean("mean");
    mean(n) = sum(warped(r.x, r.y, r.z, n)) /
              cast<float>(input.dim(0).extent() * input.dim(1).extent() * input.dim(2).extent());

    // c v + (1 - c) m: a factor of 1 leaves the value exact.
    Expr v = p(7) * warped(x, y, c, n) + (1.0f - p(7)) * mean(n);
    Expr cut = cast<float>(x) >= p(8) && cast<float>(y) >= p(9) && cast<float>(x) < p(10) && cast<float>(y) < p(11);
    output(x, y, c, n) = select(cut, 0.0f, v);

    // One image per task; rows vectorized along x.
    output.parallel(n).vectorize(x, 8, TailStrategy::GuardWithIf);
    warped.compute_at(output, n).vectorize(x, 8, TailStrategy::GuardWithIf);
    mean.compute_at(output, n);
    params.dim(0).set_min(0).set_extent(12);
  }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Augment, mlc_augment)
