// GoogleTest entry point; defined here (not via gtest_main) so the main in libmlc_runtime.a is never linked in.
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
