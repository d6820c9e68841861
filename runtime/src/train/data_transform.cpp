// Checkpoint sections of the data transform.
#include "train/data_transform.h"

#include <cmath>

#include "core/error.h"

namespace mlc {

void DataTransform::write(CheckpointWriter& w) const {
  if (table) w.text("data/encoding", table->text());
  if (standardizer) {
    w.floats("data/mean", standardizer->mean.data(), standardizer->mean.size());
    w.floats("data/scale", standardizer->scale.data(), standardizer->scale.size());
  }
  if (!class_weights.empty()) w.floats("data/class_weights", class_weights.data(), class_weights.size());
}

DataTransform DataTransform::read(const Checkpoint& ck, std::size_t sample_size, std::size_t classes) {
  DataTransform t;
  if (ck.has("data/encoding")) t.table = TabularEncoding::parse(ck.text("data/encoding"), "checkpoint " + ck.path + " data/encoding");
  if (ck.has("data/mean") || ck.has("data/scale")) {
    Standardizer s;
    s.mean.resize(sample_size);
    s.scale.resize(sample_size);
    ck.floats("data/mean", s.mean.data(), sample_size);
    ck.floats("data/scale", s.scale.data(), sample_size);
    for (std::size_t i = 0; i < sample_size; ++i) {
      if (!std::isfinite(s.mean[i]) || !(s.scale[i] > 0) || !std::isfinite(s.scale[i])) {
        throw Error("checkpoint " + ck.path + ": data/scale or data/mean holds a bad value at " + std::to_string(i));
      }
    }
    t.standardizer = std::move(s);
  }
  if (ck.has("data/class_weights")) {
    t.class_weights.resize(classes);
    ck.floats("data/class_weights", t.class_weights.data(), classes);
    for (float w : t.class_weights) {
      if (!(w > 0) || !std::isfinite(w)) throw Error("checkpoint " + ck.path + ": data/class_weights holds a bad value");
    }
  }
  return t;
}

}  // namespace mlc
