// ONNX comparisons (Greater, Less, Equal, GreaterOrEqual, LessOrEqual), logic (Not, And, Or, Xor)
// and Where. mlc has no boolean tensors: a boolean value stays symbolic at import (a Predicate
// over float operands, or a constant mask) until a Where, or a Cast to float, consumes it; it then
// becomes a tree of mlc.where_gt choices. Gradients reach Where's chosen branch; comparisons have
// none (they are piecewise constant), as in PyTorch.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

using PredicateRef = std::shared_ptr<const Predicate>;

/// Input `i` of a comparison: a float tensor, a runtime integer tensor (token ids) or an integer
/// constant; converted to the element type of the choice it ends in (choose()).
Value comparable(NodeContext &ctx, size_t i) { return ctx.anyInput(i); }

/// The boolean input `i`: a predicate made earlier, or an integer/boolean constant as a mask.
PredicateRef predicateInput(NodeContext &ctx, size_t i) {
  if (!ctx.hasInput(i))
    ctx.fail("missing input " + std::to_string(i));
  auto it = ctx.predicates->find(ctx.node.input(i));
  if (it != ctx.predicates->end())
    return it->second;
  if (ctx.isIntInput(i)) {
    const IntConstant &c = ctx.intInput(i);
    auto p = std::make_shared<Predicate>();
    p->kind = Predicate::Kind::Mask;
    p->shape.assign(c.shape.begin(), c.shape.end());
    p->mask = c.values;
    return p;
  }
  ctx.fail("condition '" + ctx.node.input(i) +
           "' must be a comparison, a logical op of comparisons, or a constant (mlc has no boolean tensors)");
}

void setPredicate(NodeContext &ctx, PredicateRef p) {
  if (ctx.node.output_size() > 0 && !ctx.node.output(0).empty())
    (*ctx.predicates)[ctx.node.output(0)] = std::move(p);
}

/// lhs > rhs or lhs == rhs of inputs 0 and 1 (swapped: of 1 and 0).
PredicateRef comparison(NodeContext &ctx, Predicate::Kind kind, bool swap) {
  ctx.expect({}, 2, 2);
  auto p = std::make_shared<Predicate>();
  p->kind = kind;
  p->lhs = comparable(ctx, swap ? 1 : 0);
  p->rhs = comparable(ctx, swap ? 0 : 1);
  p->shape = broadcastShape(ctx, cast<RankedTensorType>(p->lhs.getType()).getShape(),
                             cast<RankedTensorType>(p->rhs.getType()).getShape());
  return p;
}

template <Predicate::Kind kind, bool swap>
void importComparison(NodeContext &ctx) {
  setPredicate(ctx, comparison(ctx, kind, swap));
}

// a >= b is not (b > a); a <= b is not (a > b). (NaN compares false in ONNX either way; here the
// negated forms give true for NaN operands.)
template <bool swap>
void importOrEqual(NodeContext &ctx) {
  auto p = std::make_shared<Predicate>();
  p->kind = Predicate::Kind::Not;
  p->a = comparison(ctx, Predicate::Kind::Greater, swap);
  p->shape = p->a->shape;
  setPredicate(ctx, p);
}

void importNot(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  auto p = std::make_shared<Predicate>();
  p->kind = Predicate::Kind::Not;
  p->a = predicateInput(ctx, 0);
  p->shape = p->a->shape;
  setPredicate(ctx, p);
}

template <Predicate::Kind kind>
void importLogical(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  auto p = std::make_shared<Predicate>();
  p->kind = kind;
  p->a = predicateInput(ctx, 0);
  p->b = predicateInput(ctx, 1);
  p->shape = broadcastShape(ctx, p->a->shape, p->b->shape);
  setPredicate(ctx, p);
}

/// where(p, x, y) with x and y of `type` (the result's shape): a tree of mlc.where_gt.
Value choose(NodeContext &ctx, const Predicate &p, Value x, Value y, RankedTensorType type) {
  // An operand in the choice's element type (integers through to_float: exact below 2^24 in f32),
  // broadcast to its shape.
  auto leaf = [&](Value v) {
    auto vt = cast<RankedTensorType>(v.getType());
    if (vt.getElementType() != type.getElementType()) {
      auto converted = RankedTensorType::get(vt.getShape(), type.getElementType());
      v = isa<IntegerType>(vt.getElementType()) ? ctx.b.create<ToFloatOp>(ctx.loc, converted, v).getResult()
                                                : ctx.b.create<ConvertFloatOp>(ctx.loc, converted, v).getResult();
    }
    return broadcastToShape(ctx, v, type);
  };
  switch (p.kind) {
  case Predicate::Kind::Greater:
    return ctx.b.create<WhereGtOp>(ctx.loc, leaf(p.lhs), leaf(p.rhs), x, y);
  case Predicate::Kind::Equal: { // neither greater nor less
    Value l = leaf(p.lhs), r = leaf(p.rhs);
    Value lessOrEqual = ctx.b.create<WhereGtOp>(ctx.loc, r, l, y, x);
    return ctx.b.create<WhereGtOp>(ctx.loc, l, r, y, lessOrEqual);
  }
  case Predicate::Kind::Mask: {
    auto maskType = RankedTensorType::get(p.shape, type.getElementType());
    SmallVector<Attribute> ones;
    for (int64_t v : p.mask)
      ones.push_back(FloatAttr::get(type.getElementType(), v != 0 ? 1.0 : 0.0));
    Value mask = ctx.b.create<arith::ConstantOp>(ctx.loc, maskType, DenseElementsAttr::get(maskType, ones));
    Value m = leaf(mask);
    return ctx.b.create<WhereGtOp>(ctx.loc, m, makeSplatLike(ctx.b, ctx.loc, m, 0.5), x, y);
  }
  case Predicate::Kind::Not:
    return choose(ctx, *p.a, y, x, type);
  case Predicate::Kind::And:
    return choose(ctx, *p.a, choose(ctx, *p.b, x, y, type), y, type);
  case Predicate::Kind::Or:
    return choose(ctx, *p.a, x, choose(ctx, *p.b, x, y, type), type);
  case Predicate::Kind::Xor:
    return choose(ctx, *p.a, choose(ctx, *p.b, y, x, type), choose(ctx, *p.b, x, y, type), type);
  }
  llvm_unreachable("predicate kind");
}

void importWhere(NodeContext &ctx) {
  ctx.expect({}, 3, 3);
  PredicateRef p = predicateInput(ctx, 0);
  Value x = ctx.input(1), y = ctx.input(2);
  auto xt = cast<RankedTensorType>(x.getType()), yt = cast<RankedTensorType>(y.getType());
  if (xt.getElementType() != yt.getElementType())
    ctx.fail("the branches have different element types");
  SmallVector<int64_t> shape = broadcastShape(ctx, broadcastShape(ctx, p->shape, xt.getShape()), yt.getShape());
  auto type = RankedTensorType::get(shape, xt.getElementType());
  ctx.setOutput(0, choose(ctx, *p, broadcastToShape(ctx, x, type), broadcastToShape(ctx, y, type), type));
}

} // namespace

bool mlc::onnx_import::importPredicateCast(NodeContext &ctx, Type to) {
  auto it = ctx.predicates->find(ctx.node.input(0));
  if (it == ctx.predicates->end())
    return false;
  if (!to)
    ctx.fail("a boolean value casts only to float or double here");
  auto type = RankedTensorType::get(it->second->shape, to);
  Value ones = ctx.b.create<arith::ConstantOp>(ctx.loc, type, DenseElementsAttr::get(type, FloatAttr::get(to, 1.0)));
  ctx.setOutput(0, choose(ctx, *it->second, ones, makeSplatLike(ctx.b, ctx.loc, ones, 0.0), type));
  return true;
}

void mlc::onnx_import::registerWhereOps(llvm::StringMap<OpConverter> &table) {
  table["Greater"] = importComparison<Predicate::Kind::Greater, false>;
  table["Less"] = importComparison<Predicate::Kind::Greater, true>;
  table["Equal"] = importComparison<Predicate::Kind::Equal, false>;
  table["GreaterOrEqual"] = importOrEqual<true>;
  table["LessOrEqual"] = importOrEqual<false>;
  table["Not"] = importNot;
  table["And"] = importLogical<Predicate::Kind::And>;
  table["Or"] = importLogical<Predicate::Kind::Or>;
  table["Xor"] = importLogical<Predicate::Kind::Xor>;
  table["Where"] = importWhere;
}
