// ONNX Einsum: any contraction (matrix and batched products, transposes, sums
// over axes, outer products, bilinear forms, attention's "bhqd,bhkd->bhqk") as transposes,
// reshapes, sums, identity masks for diagonals and one mlc.matmul per pair of operands, so both targets and autodiff come with it.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

#include <algorithm>
#include <map>
#include <set>

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// A label: a letter's character code, or kEllipsis + k for the k-th dimension (right-aligned
/// over all operands) that an ellipsis stands for.
using Label = int;
constexpr Label kEllipsis = 256;

/// An operand on the way: its value and the label of each dimension.
struct Operand {
  Value value;
  SmallVector<Label> labels;
};

std::string labelName(Label l) {
  return l >= kEllipsis ? "... dimension " + std::to_string(l - kEllipsis) : std::string(1, static_cast<char>(l));
}

class Einsum {
public:
  explicit Einsum(NodeContext &ctx) : ctx(ctx), b(ctx.b), loc(ctx.loc) {}

  void run() {
    ctx.expect({"equation"}, 1, 64);
    const onnx::AttributeProto *eq = ctx.attr("equation");
    if (!eq)
      ctx.fail("missing attribute 'equation'");
    std::string equation;
    for (char c : eq->s())
      if (c != ' ')
        equation += c;
    size_t arrow = equation.find("->");
    std::string lhs = equation.substr(0, arrow);
    SmallVector<std::string> terms;
    for (size_t start = 0;;) {
      size_t comma = lhs.find(',', start);
      terms.push_back(lhs.substr(start, comma - start));
      if (comma == std::string::npos)
        break;
      start = comma + 1;
    }
    if (terms.size() != ctx.numInputs())
      ctx.fail("equation '" + eq->s() + "' has " + std::to_string(terms.size()) + " input terms for " +
               std::to_string(ctx.numInputs()) + " inputs");
    // Ellipses cover the dimensions the letters leave; they align from the right across operands.
    SmallVector<int64_t> ellipsisRanks;
    for (auto [i, term] : llvm::enumerate(terms)) {
      int64_t rank = ctx.inputType(i).getRank(), letters = countLetters(term, "input " + std::to_string(i));
      bool hasEllipsis = term.find("...") != std::string::npos;
      if (hasEllipsis ? letters > rank : letters != rank)
        ctx.fail("term '" + term + "' has " + std::to_string(letters) + " labels for input " + std::to_string(i) +
                 " of rank " + std::to_string(rank));
      ellipsisRanks.push_back(hasEllipsis ? rank - letters : 0);
    }
    maxEllipsis = ellipsisRanks.empty() ? 0 : *std::max_element(ellipsisRanks.begin(), ellipsisRanks.end());
    std::vector<Operand> operands;
    for (auto [i, term] : llvm::enumerate(terms)) {
      Operand op{ctx.input(i), expand(term, ellipsisRanks[i])};
      op = diagonals(op, i);
      recordSizes(op);
      operands.push_back(std::move(op));
    }
    SmallVector<Label> output = arrow == std::string::npos ? implicitOutput(operands)
                                                           : explicitOutput(equation.substr(arrow + 2), operands);

    // Left to right, each operand contracted into the running result; labels that no later
    // operand and not the output have are summed as early as possible.
    Operand result = operands[0];
    for (size_t i = 1; i <= operands.size(); ++i) {
      std::set<Label> later(output.begin(), output.end());
      for (size_t j = i + 1; j < operands.size(); ++j)
        later.insert(operands[j].labels.begin(), operands[j].labels.end());
      if (i < operands.size()) {
        std::set<Label> forResult(later), forNext(later);
        forResult.insert(operands[i].labels.begin(), operands[i].labels.end());
        forNext.insert(result.labels.begin(), result.labels.end());
        result = contract(sumOut(result, forResult), sumOut(operands[i], forNext), later);
      } else {
        result = sumOut(result, later);
      }
    }
    ctx.setOutput(0, arrange(result, output));
  }

private:
  NodeContext &ctx;
  OpBuilder &b;
  Location loc;
  int64_t maxEllipsis = 0;
  std::map<Label, int64_t> sizes;

  int64_t countLetters(const std::string &term, const std::string &what) {
    int64_t letters = 0;
    for (size_t k = 0; k < term.size(); ++k) {
      if (term.compare(k, 3, "...") == 0) {
        if (term.find("...", k + 3) != std::string::npos)
          ctx.fail("term '" + term + "' of " + what + " has more than one ellipsis");
        k += 2;
        continue;
      }
      if (!std::isalpha(static_cast<unsigned char>(term[k])))
        ctx.fail("term '" + term + "' of " + what + " has '" + std::string(1, term[k]) +
                 "'; labels are letters (and one '...')");
      ++letters;
    }
    return letters;
  }

  /// The labels of `term`, its ellipsis replaced by the last `ellipsisRank` ellipsis labels.
  SmallVector<Label> expand(const std::string &term, int64_t ellipsisRank) {
    SmallVector<Label> labels;
    for (size_t k = 0; k < term.size(); ++k) {
      if (term.compare(k, 3, "...") == 0) {
        for (int64_t e = maxEllipsis - ellipsisRank; e < maxEllipsis; ++e)
          labels.push_back(kEllipsis + e);
        k += 2;
        continue;
      }
      labels.push_back(static_cast<unsigned char>(term[k]));
    }
    return labels;
  }

  /// `op` with each label that repeats in it (a diagonal, "ii->i") taken once: the product with
  /// an identity mask over the two dimensions, summed over the second.
  Operand diagonals(Operand op, size_t input) {
    for (size_t second = 0; second < op.labels.size(); ++second) {
      auto first = llvm::find(ArrayRef<Label>(op.labels).take_front(second), op.labels[second]);
      if (first == op.labels.begin() + second)
        continue;
      auto type = cast<RankedTensorType>(op.value.getType());
      int64_t d1 = first - op.labels.begin(), n = type.getDimSize(d1);
      if (type.getDimSize(second) != n)
        ctx.fail("label '" + labelName(op.labels[second]) + "' repeats in input " + std::to_string(input) +
                 " with sizes " + std::to_string(n) + " and " + std::to_string(type.getDimSize(second)));
      if (n > 4096)
        ctx.fail("the diagonal of label '" + labelName(op.labels[second]) + "' has " + std::to_string(n) +
                 " elements; at most 4096 (an N x N mask)");
      auto maskType = RankedTensorType::get({n, n}, type.getElementType());
      SmallVector<Attribute> ones;
      for (int64_t r = 0; r < n; ++r)
        for (int64_t c = 0; c < n; ++c)
          ones.push_back(FloatAttr::get(type.getElementType(), r == c ? 1.0 : 0.0));
      Value mask = b.create<arith::ConstantOp>(loc, maskType, DenseElementsAttr::get(maskType, ones));
      Value masked = b.create<MulOp>(loc, op.value,
                                     broadcastTo(b, loc, mask, type, {d1, static_cast<int64_t>(second)}));
      op.value = reduceSum(b, loc, masked, {static_cast<int64_t>(second)}, false);
      op.labels.erase(op.labels.begin() + second);
      --second;
    }
    return op;
  }

  /// Every label's size; 1 broadcasts against any other size (numpy's rule for einsum).
  void recordSizes(const Operand &op) {
    auto type = cast<RankedTensorType>(op.value.getType());
    for (auto [d, l] : llvm::enumerate(op.labels)) {
      int64_t size = type.getDimSize(d);
      auto [it, inserted] = sizes.insert({l, size});
      if (inserted || it->second == size || size == 1)
        continue;
      if (it->second != 1)
        ctx.fail("label '" + labelName(l) + "' has sizes " + std::to_string(it->second) + " and " +
                 std::to_string(size));
      it->second = size;
    }
  }

  /// numpy's implicit output: the ellipsis dimensions, then the letters used once, in order.
  SmallVector<Label> implicitOutput(const std::vector<Operand> &operands) {
    std::map<Label, int> uses;
    for (const Operand &op : operands)
      for (Label l : op.labels)
        ++uses[l];
    SmallVector<Label> out;
    for (int64_t e = 0; e < maxEllipsis; ++e)
      out.push_back(kEllipsis + e);
    for (auto [l, n] : uses)
      if (l < kEllipsis && n == 1)
        out.push_back(l);
    return out;
  }

  SmallVector<Label> explicitOutput(const std::string &term, const std::vector<Operand> &operands) {
    countLetters(term, "the output");
    SmallVector<Label> out = expand(term, maxEllipsis);
    std::set<Label> known, seen;
    for (const Operand &op : operands)
      known.insert(op.labels.begin(), op.labels.end());
    for (Label l : out) {
      if (!known.count(l))
        ctx.fail("output label '" + labelName(l) + "' is in no input");
      if (!seen.insert(l).second)
        ctx.fail("output label '" + labelName(l) + "' repeats");
    }
    return out;
  }

  RankedTensorType typeOf(ArrayRef<Label> labels) {
    SmallVector<int64_t> shape;
    for (Label l : labels)
      shape.push_back(sizes.at(l));
    return RankedTensorType::get(shape, cast<RankedTensorType>(ctx.input(0).getType()).getElementType());
  }

  /// `op` summed over the labels not in `keep`, and its size-1 dimensions broadcast to their
  /// label's size.
  Operand sumOut(Operand op, const std::set<Label> &keep) {
    SmallVector<int64_t> dims;
    SmallVector<Label> kept;
    for (auto [d, l] : llvm::enumerate(op.labels)) {
      if (keep.count(l))
        kept.push_back(l);
      else
        dims.push_back(d);
    }
    Value v = reduceSum(b, loc, op.value, dims, false);
    RankedTensorType full = typeOf(kept);
    if (v.getType() != full) {
      SmallVector<int64_t> identity;
      for (int64_t d = 0; d < full.getRank(); ++d)
        identity.push_back(d);
      v = broadcastTo(b, loc, v, full, identity);
    }
    return {v, kept};
  }

  /// `op` with its dimensions in the order of `labels` (all of its labels).
  Value arrange(const Operand &op, ArrayRef<Label> labels) {
    SmallVector<int64_t> perm;
    for (Label l : labels)
      perm.push_back(llvm::find(op.labels, l) - op.labels.begin());
    bool identity = llvm::all_of(llvm::enumerate(perm), [](auto p) { return static_cast<int64_t>(p.index()) == p.value(); });
    return identity ? op.value : permute(ctx, op.value, perm);
  }

  int64_t product(ArrayRef<Label> labels) {
    int64_t n = 1;
    for (Label l : labels)
      n *= sizes.at(l);
    return n;
  }

  /// x[batch, left, k] * y[batch, k, right] summed over k, as one (batched) matmul: batch labels
  /// are in both and in `later`, contracted ones in both and not, the others in one operand.
  Operand contract(const Operand &x, const Operand &y, const std::set<Label> &later) {
    SmallVector<Label> batch, contracted, left, right;
    for (Label l : x.labels) {
      bool inY = llvm::is_contained(y.labels, l);
      (inY ? (later.count(l) ? batch : contracted) : left).push_back(l);
    }
    for (Label l : y.labels)
      if (!llvm::is_contained(x.labels, l))
        right.push_back(l);
    int64_t nb = product(batch), m = product(left), k = product(contracted), n = product(right);
    Type element = cast<RankedTensorType>(x.value.getType()).getElementType();
    auto shaped = [&](SmallVector<int64_t> shape) { return RankedTensorType::get(shape, element); };
    SmallVector<Label> xOrder(batch), yOrder(batch);
    xOrder.append(left.begin(), left.end());
    xOrder.append(contracted.begin(), contracted.end());
    yOrder.append(contracted.begin(), contracted.end());
    yOrder.append(right.begin(), right.end());
    bool batched = !batch.empty();
    Value xm = reshapeTo(b, loc, arrange(x, xOrder), batched ? shaped({nb, m, k}) : shaped({m, k}));
    Value ym = reshapeTo(b, loc, arrange(y, yOrder), batched ? shaped({nb, k, n}) : shaped({k, n}));
    Value z = b.create<MatmulOp>(loc, batched ? shaped({nb, m, n}) : shaped({m, n}), xm, ym, UnitAttr(), UnitAttr());
    SmallVector<Label> labels(batch);
    labels.append(left.begin(), left.end());
    labels.append(right.begin(), right.end());
    return {reshapeTo(b, loc, z, typeOf(labels)), labels};
  }
};

void importEinsum(NodeContext &ctx) { Einsum(ctx).run(); }

} // namespace

void mlc::onnx_import::registerEinsumOps(llvm::StringMap<OpConverter> &table) { table["Einsum"] = importEinsum; }
