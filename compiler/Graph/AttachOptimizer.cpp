// mlc-attach-optimizer: build @train_step (gradient + update) and @eval_step around the model.
#include "dialects/Mlc/MlcBuilders.h"
#include "compiler/Graph/GradientTransforms.h"
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/StepSignature.h"
#include "dialects/Mlc/MlcOps.h"
#include "dialects/Mlc/MlcUpdateRules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"

namespace mlc {
#define GEN_PASS_DEF_ATTACHOPTIMIZER
#include "compiler/Graph/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// The runtime hyperparameters of one @train_step (rank-0 f32 tensors), by name.
struct StepHypers {
  OpBuilder &b;
  Location loc;
  llvm::StringMap<Value> values;
  Value operator[](StringRef name) const { return values.lookup(name); }
  Value one() const { return makeSplat(b, loc, RankedTensorType::get({}, b.getF32Type()), 1.0); }
};

/// One parameter's update: the new parameter followed by the new state, one per slot. `decayed`:
/// whether weight decay applies to this parameter.
using UpdateFn = std::function<SmallVector<Value>(Value param, Value grad, ValueRange state, bool decayed)>;

/// An optimizer: its runtime hyperparameters, its state slots, and a builder that computes the
/// step's coefficients once and returns the per-parameter update (rules in MlcUpdateRules.h).
struct Optimizer {
  SmallVector<StringRef> hypers;
  SmallVector<StringRef> stateSlots;
  std::function<UpdateFn(const StepHypers &)> prepare;
};

// The optimizers of torch.optim (the trainer's defaults and flags follow them too). With
// `weightDecay`, each takes a `weight_decay` hyperparameter added to the gradient as L2
// regularization (torch's weight_decay); AdamW always takes it and decays the parameter instead.
// Either way only the parameters the update is told are `decayed`.
static std::optional<Optimizer> makeOptimizer(StringRef name, bool weightDecay) {
  using namespace mlc::update;
  Optimizer opt;
  // The gradient after coupled weight decay (none unless compiled with it).
  auto grad = [weightDecay](const StepHypers &h, Value p, Value g, bool decayed) {
    return weightDecay && decayed ? regularize(h.b, h.loc, p, g, h["weight_decay"]) : g;
  };
  if (name == "sgd") {
    opt.hypers = {"lr"};
    opt.prepare = [grad](const StepHypers &h) -> UpdateFn {
      return [&h, grad](Value p, Value g, ValueRange, bool decayed) -> SmallVector<Value> {
        return {sgd(h.b, h.loc, h["lr"], p, grad(h, p, g, decayed))};
      };
    };
  } else if (name == "momentum" || name == "nesterov") {
    // torch.optim.SGD(momentum=mu, nesterov=...) without dampening: v = mu v + g.
    opt.hypers = {"lr", "momentum"};
    opt.stateSlots = {"velocity"};
    bool nesterov = name == "nesterov";
    opt.prepare = [grad, nesterov](const StepHypers &h) -> UpdateFn {
      MomentumCoefficients c{h["lr"], h["momentum"], Value(), nesterov};
      return [&h, grad, c](Value p, Value g, ValueRange s, bool decayed) -> SmallVector<Value> {
        return momentum(h.b, h.loc, c, p, grad(h, p, g, decayed), s[0]);
      };
    };
  } else if (name == "adagrad") {
    // torch.optim.Adagrad: lr / (1 + (t - 1) lr_decay) at step t (1-based).
    opt.hypers = {"lr", "lr_decay", "epsilon", "step"};
    opt.stateSlots = {"sum"};
    opt.prepare = [grad](const StepHypers &h) -> UpdateFn {
      OpBuilder &b = h.b;
      Value one = h.one();
      Value decay = b.create<MulOp>(h.loc, b.create<SubOp>(h.loc, h["step"], one), h["lr_decay"]);
      AdagradCoefficients c{b.create<DivOp>(h.loc, h["lr"], b.create<AddOp>(h.loc, one, decay)),
                            h["epsilon"]};
      return [&h, grad, c](Value p, Value g, ValueRange s, bool decayed) -> SmallVector<Value> {
        return adagrad(h.b, h.loc, c, p, grad(h, p, g, decayed), s[0]);
      };
    };
  } else if (name == "rmsprop") {
    // torch.optim.RMSprop without momentum, not centered.
    opt.hypers = {"lr", "alpha", "epsilon"};
    opt.stateSlots = {"square_avg"};
    opt.prepare = [grad](const StepHypers &h) -> UpdateFn {
      RMSpropCoefficients c{h["lr"], h["alpha"], h["epsilon"]};
      return [&h, grad, c](Value p, Value g, ValueRange s, bool decayed) -> SmallVector<Value> {
        return rmsprop(h.b, h.loc, c, p, grad(h, p, g, decayed), s[0]);
      };
    };
  } else if (name == "adam" || name == "adamw") {
    // torch.optim.Adam / AdamW: p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps);
    // AdamW first decays p by (1 - lr wd).
    opt.hypers = {"lr", "beta1", "beta2", "epsilon", "step"};
    opt.stateSlots = {"m", "v"};
    bool decoupled = name == "adamw";
    if (decoupled)
      opt.hypers.push_back("weight_decay");
    opt.prepare = [grad, decoupled](const StepHypers &h) -> UpdateFn {
      OpBuilder &b = h.b;
      Location loc = h.loc;
      Value one = h.one(), t = h["step"];
      Value c1 = b.create<SubOp>(loc, one, b.create<PowOp>(loc, h["beta1"], t));
      Value c2 = b.create<SubOp>(loc, one, b.create<PowOp>(loc, h["beta2"], t));
      AdamCoefficients c{b.create<DivOp>(loc, h["lr"], c1), h["beta1"], h["beta2"], h["epsilon"],
                         b.create<DivOp>(loc, one, b.create<SqrtOp>(loc, c2))};
      Value keep = decoupled ? b.create<SubOp>(loc, one, b.create<MulOp>(loc, h["lr"], h["weight_decay"])).getResult()
                             : Value();
      return [&h, grad, c, keep, decoupled](Value p, Value g, ValueRange s, bool decayed) -> SmallVector<Value> {
        if (!decoupled)
          g = grad(h, p, g, decayed);
        return adam(h.b, h.loc, c, scaleParam(h.b, h.loc, p, decayed ? keep : Value()), g, s[0], s[1]);
      };
    };
  } else {
    return std::nullopt;
  }
  if (weightDecay && !llvm::is_contained(opt.hypers, "weight_decay"))
    opt.hypers.push_back("weight_decay");
  return opt;
}

struct AttachOptimizerPass : public mlc::impl::AttachOptimizerBase<AttachOptimizerPass> {
  using AttachOptimizerBase::AttachOptimizerBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto forward = module.lookupSymbol<func::FuncOp>("forward");
    auto lossGrad = module.lookupSymbol<func::FuncOp>("loss_grad");
    if (!forward || !lossGrad) {
      module.emitError("mlc-attach-optimizer: needs @forward and @loss_grad "
                       "(run mlc-attach-loss and mlc-autodiff first)");
      return signalPassFailure();
    }
    std::optional<Optimizer> opt = makeOptimizer(optimizer, weightDecay);
    if (!opt) {
      module.emitError() << "mlc-attach-optimizer: unknown optimizer '" << optimizer
                         << "' (supported: " << optimizerNames() << ")";
      return signalPassFailure();
    }
    if (l1)
      opt->hypers.push_back("l1");
    if (clip) {
      opt->hypers.push_back("clip_norm");
      opt->hypers.push_back("clip_value");
    }
    if (failed(buildTrainStep(module, lossGrad, *opt)) || failed(buildEvalStep(module, forward)))
      return signalPassFailure();
    forward.setPrivate();
    lossGrad.setPrivate();
  }

  LogicalResult buildTrainStep(ModuleOp module, func::FuncOp lossGrad, const Optimizer &opt) {
    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    SmallVector<unsigned> paramIdx = argsWithAttr(lossGrad, attr::kParam);
    SmallVector<unsigned> inputIdx = argsWithAttr(lossGrad, attr::kInput);
    SmallVector<unsigned> labelIdx = argsWithAttr(lossGrad, attr::kLabel);
    SmallVector<unsigned> weightIdx = argsWithAttr(lossGrad, attr::kClassWeights);
    if (inputIdx.size() != 1 || labelIdx.size() != 1)
      return lossGrad.emitError("mlc-attach-optimizer: expected one input and one label argument");
    if (paramIdx.empty())
      return lossGrad.emitError("mlc-attach-optimizer: the model has no trainable parameters");
    for (unsigned i : paramIdx)
      if (!getElementTypeOrSelf(lossGrad.getArgumentTypes()[i]).isF32())
        return lossGrad.emitError("mlc-attach-optimizer: parameter '")
               << lossGrad.getArgAttrOfType<StringAttr>(i, attr::kParam).getValue()
               << "' is " << lossGrad.getArgumentTypes()[i] << "; training supports f32 parameters";
    size_t numParams = paramIdx.size();
    SmallVector<unsigned> bufferIdx = argsWithAttr(lossGrad, attr::kBuffer);
    for (unsigned i : bufferIdx)
      if (!getElementTypeOrSelf(lossGrad.getArgumentTypes()[i]).isF32())
        return lossGrad.emitError("mlc-attach-optimizer: buffer '")
               << lossGrad.getArgAttrOfType<StringAttr>(i, attr::kBuffer).getValue() << "' is "
               << lossGrad.getArgumentTypes()[i] << "; model state must be f32";

    // Signature: params, state (slot-major), buffers, input, label, class weights (if any), hypers.
    SmallVector<Type> argTypes;
    SmallVector<DictionaryAttr> argAttrs;
    auto argType = [&](unsigned i) { return lossGrad.getArgumentTypes()[i]; };
    for (unsigned i : paramIdx) {
      argTypes.push_back(argType(i));
      argAttrs.push_back(lossGrad.getArgAttrDict(i));
    }
    for (StringRef slot : opt.stateSlots)
      for (unsigned i : paramIdx) {
        argTypes.push_back(argType(i));
        argAttrs.push_back(b.getDictionaryAttr(
            {b.getNamedAttr(attr::kState, b.getStringAttr(slot)),
             b.getNamedAttr(attr::kParamOf, lossGrad.getArgAttr(i, attr::kParam))}));
      }
    for (unsigned i : bufferIdx) {
      argTypes.push_back(argType(i));
      argAttrs.push_back(lossGrad.getArgAttrDict(i));
    }
    SmallVector<unsigned> dataIdx{inputIdx[0], labelIdx[0]};
    dataIdx.append(weightIdx);
    for (unsigned i : dataIdx) {
      argTypes.push_back(argType(i));
      argAttrs.push_back(lossGrad.getArgAttrDict(i));
    }
    // The optimizer's hypers, then the model's own runtime scalars (dropout's step and seed)
    // that the optimizer does not already take.
    SmallVector<std::string> hypers(opt.hypers.begin(), opt.hypers.end());
    SmallVector<unsigned> modelHyperIdx = argsWithAttr(lossGrad, attr::kHyper);
    for (unsigned i : modelHyperIdx) {
      std::string name = lossGrad.getArgAttrOfType<StringAttr>(i, attr::kHyper).getValue().str();
      if (!llvm::is_contained(hypers, name))
        hypers.push_back(name);
    }
    auto scalar = RankedTensorType::get({}, b.getF32Type());
    for (StringRef h : hypers) {
      argTypes.push_back(scalar);
      argAttrs.push_back(b.getDictionaryAttr(b.getNamedAttr(attr::kHyper, b.getStringAttr(h))));
    }

    b.setInsertionPointToEnd(module.getBody());
    Location loc = lossGrad.getLoc();
    auto step = b.create<func::FuncOp>(loc, "train_step", b.getFunctionType(argTypes, {}));
    step.setAllArgAttrs(argAttrs);
    Block *entry = step.addEntryBlock();
    b.setInsertionPointToStart(entry);
    auto args = entry->getArguments();
    ValueRange params = args.take_front(numParams);
    unsigned bufferArg = numParams * (1 + opt.stateSlots.size());
    unsigned inputArg = bufferArg + bufferIdx.size();

    // The gradient function's arguments in its own order.
    SmallVector<Value> callArgs(lossGrad.getNumArguments());
    for (auto [k, i] : llvm::enumerate(paramIdx))
      callArgs[i] = params[k];
    for (auto [k, i] : llvm::enumerate(bufferIdx))
      callArgs[i] = args[bufferArg + k];
    for (auto [k, i] : llvm::enumerate(dataIdx))
      callArgs[i] = args[inputArg + k];
    StepHypers stepHypers{b, loc, {}};
    for (auto [k, h] : llvm::enumerate(hypers))
      stepHypers.values[h] = args[inputArg + dataIdx.size() + k];
    for (unsigned i : modelHyperIdx)
      callArgs[i] = stepHypers[lossGrad.getArgAttrOfType<StringAttr>(i, attr::kHyper).getValue()];
    if (llvm::any_of(callArgs, [](Value v) { return !v; }))
      return lossGrad.emitError("mlc-attach-optimizer: @loss_grad has an argument that is neither a "
                                "parameter, the input, the label nor a runtime scalar (mlc.hyper)");
    auto call = b.create<func::CallOp>(loc, lossGrad, callArgs);

    // Weight decay and L1 reach the weights only, unless decay-all.
    SmallVector<bool> regularized;
    for (Value p : params)
      regularized.push_back(decayAll || isRegularizedByDefault(p.getType()));
    SmallVector<Value> grads = transformGradients(
        b, loc, params, call.getResults().slice(1, numParams), regularized,
        GradientTransforms{stepHypers["l1"], stepHypers["clip_value"], stepHypers["clip_norm"]});
    UpdateFn update = opt.prepare(stepHypers);
    SmallVector<Value> newParams, newState(numParams * opt.stateSlots.size());
    for (size_t p = 0; p < numParams; ++p) {
      SmallVector<Value> state;
      for (size_t s = 0; s < opt.stateSlots.size(); ++s)
        state.push_back(args[numParams * (1 + s) + p]);
      SmallVector<Value> updated = update(params[p], grads[p], state, regularized[p]);
      newParams.push_back(updated[0]);
      for (size_t s = 0; s < opt.stateSlots.size(); ++s)
        newState[s * numParams + p] = updated[1 + s];
    }

    // @loss_grad's results after the gradients are the buffers' new values, named by mlc.buffer.
    SmallVector<Value> newBuffers(bufferIdx.size());
    for (unsigned r = 1 + numParams; r < call.getNumResults(); ++r) {
      auto name = lossGrad.getResultAttrOfType<StringAttr>(r, attr::kBuffer);
      auto it = llvm::find_if(bufferIdx, [&](unsigned i) {
        return lossGrad.getArgAttr(i, attr::kBuffer) == name;
      });
      if (!name || it == bufferIdx.end() || newBuffers[it - bufferIdx.begin()])
        return lossGrad.emitError("mlc-attach-optimizer: result ")
               << r << " of @loss_grad must be the new value of a buffer argument, each once";
      newBuffers[it - bufferIdx.begin()] = call.getResult(r);
    }
    for (auto [k, v] : llvm::enumerate(newBuffers))
      if (!v)
        return lossGrad.emitError("mlc-attach-optimizer: the training step computes no new value of buffer '")
               << lossGrad.getArgAttrOfType<StringAttr>(bufferIdx[k], attr::kBuffer).getValue() << "'";

    SmallVector<Value> results(newParams);
    results.append(newState);
    results.append(newBuffers);
    results.push_back(call.getResult(0));
    b.create<func::ReturnOp>(loc, results);
    step.setFunctionType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
    for (unsigned r = 0; r + 1 < results.size(); ++r)
      step.setResultAttr(r, attr::kUpdates, b.getI64IntegerAttr(r));
    step.setResultAttr(results.size() - 1, attr::kLoss, b.getUnitAttr());
    return success();
  }

  /// @eval_step(params..., buffers..., input) -> output: @forward with inference semantics. Its
  /// body is a copy of @forward's in which dropout passes its input through and phase selects take
  /// their evaluation value; the runtime scalars that only training needs are dropped from the
  /// signature, and so are the buffers' new values.
  LogicalResult buildEvalStep(ModuleOp module, func::FuncOp forward) {
    OpBuilder b(module.getContext());
    b.setInsertionPointToEnd(module.getBody());
    Location loc = forward.getLoc();
    SmallVector<Type> argTypes;
    SmallVector<DictionaryAttr> argAttrs;
    SmallVector<unsigned> kept = argsWithAttr(forward, attr::kParam);
    kept.append(argsWithAttr(forward, attr::kBuffer));
    for (unsigned i = 0; i < forward.getNumArguments(); ++i)
      if (!forward.getArgAttr(i, attr::kHyper) && !llvm::is_contained(kept, i))
        kept.push_back(i);
    for (unsigned i : kept) {
      argTypes.push_back(forward.getArgumentTypes()[i]);
      argAttrs.push_back(forward.getArgAttrDict(i));
    }
    auto step = b.create<func::FuncOp>(
        loc, "eval_step", b.getFunctionType(argTypes, forward.getResultTypes().take_front()));
    step.setAllArgAttrs(argAttrs);
    if (DictionaryAttr attrs = forward.getResultAttrDict(0))
      step.setResultAttrs(0, attrs);
    Block *entry = step.addEntryBlock();
    b.setInsertionPointToStart(entry);
    IRMapping map;
    for (auto [k, i] : llvm::enumerate(kept))
      map.map(forward.getArgument(i), entry->getArgument(k));
    for (Operation &op : forward.getBody().front()) {
      if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        b.create<func::ReturnOp>(ret.getLoc(), map.lookup(ret.getOperand(0)));
        break;
      }
      if (auto dropout = dyn_cast<DropoutOp>(op)) {
        map.map(dropout.getResult(), map.lookup(dropout.getInput()));
        continue;
      }
      Operation *copy = b.clone(op, map);
      for (Value operand : copy->getOperands())
        if (auto arg = dyn_cast<BlockArgument>(operand); arg && arg.getOwner() != entry)
          return op.emitError("mlc-attach-optimizer: evaluation cannot use the training-only "
                              "runtime argument of this op");
    }
    resolvePhase(step, Phase::Eval);
    return success();
  }
};

} // namespace
