// Augmentation parameters (host, seeded per sample), the reference implementation, and the call into
// the ahead-of-time Halide pipeline.
#include "augment/augment.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "HalideRuntime.h"
#include "core/error.h"
#include "core/rng.h"
#include "mlc_augment.h"

namespace mlc {
namespace {

constexpr double kPi = 3.14159265358979323846;

double parse_number(const std::string& item, const std::string& value, double min, double max) {
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !(v >= min && v <= max)) {
    throw Error("--augment: '" + item + "': expected a number in [" + std::to_string(min) + ", " +
                std::to_string(max) + "]");
  }
  return v;
}

// A uniform double in [lo, hi) from 53 random bits.
double uniform(SplitMix64& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng.next() >> 11) * (1.0 / 9007199254740992.0);
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

bool AugmentSpec::empty() const {
  return crop == 0 && !hflip && !vflip && rotate == 0 && translate == 0 && shear == 0 && zoom == 0 && brightness == 0 &&
         contrast == 0 && cutout == 0;
}

std::string AugmentSpec::describe() const {
  std::string s;
  auto add = [&](const std::string& item) { s += (s.empty() ? "" : ",") + item; };
  if (crop) add("crop:" + std::to_string(crop));
  if (hflip) add("flip");
  if (vflip) add("vflip");
  if (rotate) add("rotate:" + number(rotate));
  if (translate) add("translate:" + number(translate));
  if (shear) add("shear:" + number(shear));
  if (zoom) add("zoom:" + number(zoom));
  if (brightness) add("brightness:" + number(brightness));
  if (contrast) add("contrast:" + number(contrast));
  if (cutout) add("cutout:" + std::to_string(cutout));
  return s;
}

AugmentSpec parse_augment(const std::string& text) {
  AugmentSpec spec;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t colon = item.find(':');
    const std::string name = item.substr(0, colon);
    const bool valued = colon != std::string::npos;
    const std::string value = valued ? item.substr(colon + 1) : "";
    auto need = [&](bool want) {
      if (want != valued) throw Error("--augment: '" + item + "': " + (want ? "needs a value (" + name + ":X)" : "takes no value"));
    };
    // The valued transforms: each a field of the spec with its range.
    struct Ranged {
      const char* name;
      double AugmentSpec::*field;
      double min, max;
    };
    static const Ranged ranged[] = {{"rotate", &AugmentSpec::rotate, 0, 180},   {"translate", &AugmentSpec::translate, 0, 1},
                                    {"shear", &AugmentSpec::shear, 0, 60},      {"zoom", &AugmentSpec::zoom, 0, 0.9},
                                    {"brightness", &AugmentSpec::brightness, 0, 1}, {"contrast", &AugmentSpec::contrast, 0, 1}};
    auto whole = [&](double max, const char* what) {
      need(true);
      const double v = parse_number(item, value, 1, max);
      if (v != std::floor(v)) throw Error("--augment: '" + item + "': the " + std::string(what) + " is a whole number of pixels");
      return static_cast<int>(v);
    };
    const Ranged* r = std::find_if(std::begin(ranged), std::end(ranged), [&](const Ranged& x) { return name == x.name; });
    if (name == "flip" || name == "hflip" || name == "vflip") {
      need(false);
      (name == "vflip" ? spec.vflip : spec.hflip) = true;
    } else if (name == "crop") {
      spec.crop = whole(1024, "padding");
    } else if (name == "cutout") {
      spec.cutout = whole(4096, "side");
    } else if (r != std::end(ranged)) {
      need(true);
      spec.*(r->field) = parse_number(item, value, r->min, r->max);
    } else {
      throw Error("--augment: unknown transform '" + name +
                  "' (crop:P, flip, vflip, rotate:D, translate:F, shear:D, zoom:F, brightness:F, contrast:F, cutout:S)");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return spec;
}

ImageShape image_shape_of(const ModelMeta& meta) {
  const std::vector<std::size_t>& d = meta.input.dims;
  if (meta.token_input || (d.size() != 3 && d.size() != 4)) {
    throw Error("--augment needs a model whose input is images [N, C, H, W] or [N, H, W] of floats");
  }
  ImageShape s;
  s.channels = d.size() == 4 ? d[1] : 1;
  s.height = d[d.size() - 2];
  s.width = d[d.size() - 1];
  return s;
}

void sample_augment_params(const AugmentSpec& spec, const ImageShape& shape, std::uint64_t seed, std::uint64_t epoch,
                           std::uint64_t position, float* out) {
  // One stream per sample: the generator is keyed by (seed, epoch, position), each mixed through
  // SplitMix64 so neighbouring keys give unrelated streams.
  SplitMix64 rng(SplitMix64(seed ^ 0x6175676d656e7421ull).next() ^ SplitMix64(~epoch).next() ^
                 SplitMix64(position * 0x9E3779B97F4A7C15ull + 1).next());
  const double w = static_cast<double>(shape.width), h = static_cast<double>(shape.height);
  double tx = 0, ty = 0, fx = 1, fy = 1, angle = 0, shear = 0, scale = 1, bright = 1, contrast = 1;
  if (spec.crop) {
    const std::uint64_t span = 2 * static_cast<std::uint64_t>(spec.crop) + 1;
    tx = static_cast<double>(rng.below(span)) - spec.crop;
    ty = static_cast<double>(rng.below(span)) - spec.crop;
  }
  if (spec.hflip && (rng.next() >> 63)) fx = -1;
  if (spec.vflip && (rng.next() >> 63)) fy = -1;
  if (spec.rotate) angle = uniform(rng, -spec.rotate, spec.rotate) * kPi / 180;
  if (spec.translate) {
    tx += uniform(rng, -spec.translate, spec.translate) * w;
    ty += uniform(rng, -spec.translate, spec.translate) * h;
  }
  if (spec.shear) shear = uniform(rng, -spec.shear, spec.shear) * kPi / 180;
  if (spec.zoom) scale = uniform(rng, 1 - spec.zoom, 1 + spec.zoom);
  if (spec.brightness) bright = uniform(rng, 1 - spec.brightness, 1 + spec.brightness);
  if (spec.contrast) contrast = uniform(rng, 1 - spec.contrast, 1 + spec.contrast);
  double cut[4] = {0, 0, 0, 0};
  if (spec.cutout) {
    const double cx = static_cast<double>(rng.below(shape.width)), cy = static_cast<double>(rng.below(shape.height));
    const double half = std::floor(spec.cutout / 2.0);
    cut[0] = std::max(0.0, cx - half);
    cut[1] = std::max(0.0, cy - half);
    cut[2] = std::min(w, cx - half + spec.cutout);
    cut[3] = std::min(h, cy - half + spec.cutout);
  }
  // Forward map about the image center: out = L (src - c) + c + t with L = R(angle) Shear Zoom Flip;
  // the pipeline needs the inverse, src = M (out - c - t) + c with M = L^-1.
  const double c = std::cos(angle), s = std::sin(angle), k = std::tan(shear);
  const double l00 = (c * 1 + -s * 0) * scale * fx, l01 = (c * k + -s * 1) * scale * fy;
  const double l10 = (s * 1 + c * 0) * scale * fx, l11 = (s * k + c * 1) * scale * fy;
  const double det = l00 * l11 - l01 * l10;
  const double m00 = l11 / det, m01 = -l01 / det, m10 = -l10 / det, m11 = l00 / det;
  const double cx = w / 2, cy = h / 2;
  out[0] = static_cast<float>(m00);
  out[1] = static_cast<float>(m01);
  out[2] = static_cast<float>(cx - (m00 * (cx + tx) + m01 * (cy + ty)));
  out[3] = static_cast<float>(m10);
  out[4] = static_cast<float>(m11);
  out[5] = static_cast<float>(cy - (m10 * (cx + tx) + m11 * (cy + ty)));
  out[6] = static_cast<float>(bright);
  out[7] = static_cast<float>(contrast);
  for (int i = 0; i < 4; ++i) out[8 + i] = static_cast<float>(cut[i]);
}

void augment_reference(const float* in, float* out, const float* params, std::size_t n, const ImageShape& shape) {
  const long w = static_cast<long>(shape.width), h = static_cast<long>(shape.height);
  const std::size_t plane = shape.width * shape.height;
  std::vector<float> warped(shape.size());
  for (std::size_t i = 0; i < n; ++i) {
    const float* p = params + i * kAugmentParams;
    const float* src = in + i * shape.size();
    auto at = [&](std::size_t ch, long x, long y) -> float {
      return x < 0 || y < 0 || x >= w || y >= h ? 0.0f : src[ch * plane + static_cast<std::size_t>(y * w + x)];
    };
    for (std::size_t ch = 0; ch < shape.channels; ++ch) {
      for (long y = 0; y < h; ++y) {
        for (long x = 0; x < w; ++x) {
          const float fx = static_cast<float>(x) + 0.5f, fy = static_cast<float>(y) + 0.5f;
          const float sx = p[0] * fx + p[1] * fy + p[2] - 0.5f, sy = p[3] * fx + p[4] * fy + p[5] - 0.5f;
          const float x0 = std::floor(sx), y0 = std::floor(sy), ax = sx - x0, ay = sy - y0;
          const long ix = static_cast<long>(x0), iy = static_cast<long>(y0);
          const float top = at(ch, ix, iy) + (at(ch, ix + 1, iy) - at(ch, ix, iy)) * ax;
          const float bottom = at(ch, ix, iy + 1) + (at(ch, ix + 1, iy + 1) - at(ch, ix, iy + 1)) * ax;
          warped[ch * plane + static_cast<std::size_t>(y * w + x)] = (top + (bottom - top) * ay) * p[6];
        }
      }
    }
    double sum = 0;
    for (float v : warped) sum += v;
    const float mean = static_cast<float>(sum / static_cast<double>(warped.size()));
    float* dst = out + i * shape.size();
    for (std::size_t ch = 0; ch < shape.channels; ++ch) {
      for (long y = 0; y < h; ++y) {
        for (long x = 0; x < w; ++x) {
          const std::size_t j = ch * plane + static_cast<std::size_t>(y * w + x);
          const bool cut = static_cast<float>(x) >= p[8] && static_cast<float>(y) >= p[9] && static_cast<float>(x) < p[10] &&
                           static_cast<float>(y) < p[11];
          dst[j] = cut ? 0.0f : p[7] * warped[j] + (1.0f - p[7]) * mean;
        }
      }
    }
  }
}

void augment_halide(const float* in, float* out, const float* params, std::size_t n, const ImageShape& shape) {
  const int w = static_cast<int>(shape.width), h = static_cast<int>(shape.height), c = static_cast<int>(shape.channels);
  const int count = static_cast<int>(n);
  halide_dimension_t image_dims[4] = {{0, w, 1, 0}, {0, h, w, 0}, {0, c, w * h, 0}, {0, count, w * h * c, 0}};
  halide_dimension_t param_dims[2] = {{0, kAugmentParams, 1, 0}, {0, count, kAugmentParams, 0}};
  const halide_type_t f32{halide_type_float, 32, 1};
  halide_buffer_t input{}, output{}, p{};
  input.host = reinterpret_cast<std::uint8_t*>(const_cast<float*>(in));
  input.type = f32;
  input.dimensions = 4;
  input.dim = image_dims;
  output = input;
  output.host = reinterpret_cast<std::uint8_t*>(out);
  halide_dimension_t out_dims[4] = {image_dims[0], image_dims[1], image_dims[2], image_dims[3]};
  output.dim = out_dims;
  p.host = reinterpret_cast<std::uint8_t*>(const_cast<float*>(params));
  p.type = f32;
  p.dimensions = 2;
  p.dim = param_dims;
  const int status = mlc_augment(&input, &p, &output);
  if (status != 0) throw Error("--augment: the Halide pipeline failed (status " + std::to_string(status) + ")");
}

Augmenter::Augmenter(const AugmentSpec& spec, const ImageShape& shape, std::size_t batch, std::uint64_t seed)
    : spec_(spec), shape_(shape), batch_(batch), seed_(seed), params_(batch * kAugmentParams), source_(batch * shape.size()) {}

void Augmenter::apply(float* batch, std::uint64_t epoch, std::uint64_t first) {
  for (std::size_t i = 0; i < batch_; ++i) {
    sample_augment_params(spec_, shape_, seed_, epoch, first + i, params_.data() + i * kAugmentParams);
  }
  std::memcpy(source_.data(), batch, source_.size() * sizeof(float));
  augment_halide(source_.data(), batch, params_.data(), batch_, shape_);
}

}  // namespace mlc
