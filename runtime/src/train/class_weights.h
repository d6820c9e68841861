// --class-weights: the loss's per-class weights, given or computed from the training labels.
#ifndef MLC_RUNTIME_TRAIN_CLASS_WEIGHTS_H
#define MLC_RUNTIME_TRAIN_CLASS_WEIGHTS_H

#include <string>
#include <vector>

#include "core/model_meta.h"
#include "data/dataset.h"

namespace mlc {

// The weights for a model whose loss takes meta.class_weights of them: "auto" gives class c the
// weight n / (K n_c) over the training split's labels (scikit-learn's "balanced"; a class without
// samples keeps 1), "w0,w1,..." exactly K positive weights, empty all 1. Empty for a model without
// class weights; giving --class-weights to one is an error naming the compile flag.
std::vector<float> resolve_class_weights(const std::string& flag, const ModelMeta& meta, const Split& train);

// "0.55, 5.2" for the trainer's summary line.
std::string describe_class_weights(const std::vector<float>& weights);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_CLASS_WEIGHTS_H
