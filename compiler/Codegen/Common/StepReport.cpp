// The compile-time report of one training step's FLOPs, bytes and memory (see StepReport.h).
#include "compiler/Codegen/Common/StepReport.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/Support/Format.h"

using namespace mlir;

void mlc::collectStepCosts(ModuleOp module, StepReport &report) {
  auto step = module.lookupSymbol<func::FuncOp>("train_step");
  if (!step || step.isExternal())
    return;
  for (Operation &op : step.getBody().front()) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
    if (!linalgOp || isa<linalg::FillOp>(op))
      continue;
    OpCost cost = costOf(linalgOp);
    for (StepReport::Group *g : {&report.groups[cost.group.str()], &report.total}) {
      ++g->ops;
      g->flops += cost.flops;
      g->bytes += cost.bytes;
    }
  }
}

void mlc::collectMemoryPlan(ModuleOp module, StepReport &report) {
  auto step = module.lookupSymbol<func::FuncOp>("train_step");
  if (!step)
    return;
  for (unsigned i = 0; i < step.getNumArguments(); ++i) {
    int64_t bytes = byteSize(step.getArgumentTypes()[i]);
    if (step.getArgAttr(i, attr::kParam)) {
      report.parameters += bytes;
      if (auto shaped = dyn_cast<ShapedType>(step.getArgumentTypes()[i]))
        report.parameterCount += shaped.getNumElements();
    } else if (step.getArgAttr(i, attr::kState)) {
      report.optimizerState += bytes;
    } else if (step.getArgAttr(i, attr::kBuffer)) {
      report.buffers += bytes;
    } else if (step.getArgAttr(i, attr::kInput) || step.getArgAttr(i, attr::kLabel)) {
      report.data += bytes;
      auto shaped = dyn_cast<ShapedType>(step.getArgumentTypes()[i]);
      if (step.getArgAttr(i, attr::kInput) && shaped && shaped.getRank() > 0)
        report.batch = shaped.getDimSize(0);
    }
  }
  if (auto ws = step->getAttrOfType<IntegerAttr>(attr::kWorkspaceBytes))
    report.workspace = ws.getInt();
  if (auto eval = module.lookupSymbol<func::FuncOp>("eval_step"))
    if (auto ws = eval->getAttrOfType<IntegerAttr>(attr::kWorkspaceBytes))
      report.evalWorkspace = ws.getInt();
}

void mlc::printStepReport(const StepReport &r, llvm::raw_ostream &os) {
  auto mb = [](int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); };
  auto g = [](int64_t n) { return static_cast<double>(n) / 1e9; };
  os << "report: one training step, batch " << r.batch << ": "
     << llvm::format("%.3f GFLOP, %.1f MB moved by %lld ops", g(r.total.flops), mb(r.total.bytes),
                     static_cast<long long>(r.total.ops))
     << "\n";
  os << llvm::format("  %-18s %5s %11s %7s %10s\n", static_cast<const char *>("group"), static_cast<const char *>("ops"),
                     static_cast<const char *>("MFLOP/step"), static_cast<const char *>("share"),
                     static_cast<const char *>("MB moved"));
  std::vector<std::pair<std::string, StepReport::Group>> sorted(r.groups.begin(), r.groups.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
    return a.second.flops != b.second.flops ? a.second.flops > b.second.flops : a.first < b.first;
  });
  for (const auto &[name, grp] : sorted)
    os << llvm::format("  %-18s %5lld %11.3f %6.1f%% %10.1f\n", name.c_str(), static_cast<long long>(grp.ops),
                       static_cast<double>(grp.flops) / 1e6, r.total.flops ? 100.0 * grp.flops / r.total.flops : 0.0, mb(grp.bytes));
  os << "  memory plan:\n";
  auto line = [&](const char *what, int64_t bytes, const std::string &note) {
    os << llvm::format("    %-16s %10.2f MB %14lld bytes", what, mb(bytes), static_cast<long long>(bytes));
    os << (note.empty() ? "" : "  (" + note + ")") << "\n";
  };
  line("parameters", r.parameters, std::to_string(r.parameterCount) + " floats");
  line("optimizer state", r.optimizerState, "");
  if (r.buffers)
    line("buffers", r.buffers, "running statistics");
  line("batch data", r.data, "input and label");
  line("workspace", r.workspace, "train step: the planned activations and temporaries at their peak");
  line("eval workspace", r.evalWorkspace, "eval step; not live during training");
  line("total", r.parameters + r.optimizerState + r.buffers + r.data + r.workspace, "training");
}
