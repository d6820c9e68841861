// Tests of the ONNX export writer: the protobuf bytes of a completed template, and its errors.
#include "state/onnx_export.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"

namespace mlc {
namespace {

using test::read_bytes;

TEST(OnnxExport, AppendsInitializersToTheTemplatesGraph) {
  // Template: u64 prefix size, ModelProto{ir_version: 8}, GraphProto{name: "g"}.
  const std::vector<std::uint8_t> tmpl = {2, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x08, 0x12, 0x01, 'g'};
  const float w[2] = {1.0f, 2.0f};
  test::TempDir dir;
  write_onnx_export(dir.file("m.onnx"), tmpl.data(), tmpl.size(), {{"w", {2}, w}});
  const std::vector<std::uint8_t> expected = {
      0x08, 0x08,                    // ir_version 8
      0x3a, 0x16,                    // graph (field 7), 22 bytes
      0x12, 0x01, 'g',               //   name "g"
      0x2a, 0x11,                    //   initializer (field 5), 17 bytes
      0x08, 0x02,                    //     dims: 2
      0x10, 0x01,                    //     data_type FLOAT
      0x42, 0x01, 'w',               //     name "w"
      0x4a, 0x08,                    //     raw_data, 8 bytes
      0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40};
  EXPECT_EQ(read_bytes(dir.file("m.onnx")), expected);
  EXPECT_FALSE(test::file_exists(dir.file("m.onnx.tmp")));
}

TEST(OnnxExport, Errors) {
  test::TempDir dir;
  EXPECT_MLC_ERROR(write_onnx_export(dir.file("m.onnx"), nullptr, 0, {}), "not compiled from an ONNX model");
  const std::vector<std::uint8_t> bad = {200, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_MLC_ERROR(write_onnx_export(dir.file("m.onnx"), bad.data(), bad.size(), {}), "template is malformed");
  const std::vector<std::uint8_t> ok = {0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_MLC_ERROR(write_onnx_export(dir.file("no/dir/m.onnx"), ok.data(), ok.size(), {}), "cannot write the ONNX export");
}

}  // namespace
}  // namespace mlc
