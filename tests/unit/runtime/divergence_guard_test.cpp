// Tests of the divergence guard: the absolute bound, the growth factor and its baseline window.
#include "train/divergence_guard.h"

#include <gtest/gtest.h>

namespace mlc {
namespace {

TEST(DivergenceGuard, AbsoluteBound) {
  DivergenceGuard g({/*max_loss=*/100, /*factor=*/0, /*window=*/10});
  EXPECT_FALSE(g.check(99));
  auto why = g.check(101);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "loss 101 is above --max-loss=100");
}

TEST(DivergenceGuard, GrowthAgainstTheFirstStepsLargestLoss) {
  DivergenceGuard g({0, /*factor=*/1e4, /*window=*/3});
  EXPECT_FALSE(g.check(2.0));
  EXPECT_FALSE(g.check(5.0));  // the baseline grows within the window
  EXPECT_FALSE(g.check(1.0));
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(g.check(1e-6));  // learning: far below is fine
  EXPECT_FALSE(g.check(4.9e4));
  auto why = g.check(5.1e4);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "loss 51000 is more than 10000 times the largest of the first 3 steps (5; --divergence-factor)");
}

TEST(DivergenceGuard, ExplosionWithinTheWindow) {
  DivergenceGuard g({0, 1e4, 10});
  EXPECT_FALSE(g.check(3.0));
  EXPECT_TRUE(g.check(3.1e4));
}

TEST(DivergenceGuard, FactorZeroIsOff) {
  DivergenceGuard g({0, 0, 10});
  EXPECT_FALSE(g.check(1.0));
  EXPECT_FALSE(g.check(1e30));
}

}  // namespace
}  // namespace mlc
