// Tests of the CSV parser: quoting, line endings, blank lines, and every malformation's message.
#include "data/csv_reader.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace mlc {
namespace {

CsvTable parse(const std::string& text) { return parse_csv(text.data(), text.size(), "t.csv"); }

TEST(CsvReader, HeaderRowsAndCells) {
  CsvTable t = parse("a,b,c\n1,2,3\n4,,x y\n");
  ASSERT_EQ(t.columns(), 3u);
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.header[2], "c");
  EXPECT_EQ(t.cell(0, 1), "2");
  EXPECT_EQ(t.cell(1, 1), "");
  EXPECT_EQ(t.cell(1, 2), "x y");
  EXPECT_EQ(t.line(1), 3u);
  EXPECT_EQ(t.find("b"), 1);
  EXPECT_EQ(t.find("z"), -1);
}

TEST(CsvReader, QuotesCrLfBomBlankLinesAndNoFinalNewline) {
  CsvTable t = parse("\xEF\xBB\xBFname,\"note\"\r\n\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\n\nlast,\"\"");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.header[0], "name");
  EXPECT_EQ(t.header[1], "note");
  EXPECT_EQ(t.cell(0, 0), "Smith, J");
  EXPECT_EQ(t.cell(0, 1), "said \"hi\"\nthen left");
  EXPECT_EQ(t.line(0), 3u);
  EXPECT_EQ(t.line(1), 6u);  // the quoted line break counts
  EXPECT_EQ(t.cell(1, 0), "last");
  EXPECT_EQ(t.cell(1, 1), "");
}

TEST(CsvReader, SingleColumnAndEmptyBody) {
  CsvTable t = parse("x\n1\n2\n");
  EXPECT_EQ(t.rows(), 2u);
  EXPECT_EQ(parse("x,y\n").rows(), 0u);
}

TEST(CsvReader, Malformations) {
  EXPECT_MLC_ERROR(parse(""), "t.csv: empty file");
  EXPECT_MLC_ERROR(parse("\n\n"), "t.csv: empty file");
  EXPECT_MLC_ERROR(parse("a,b\n1,2\n3\n"), "t.csv:3: 1 field, the header has 2");
  EXPECT_MLC_ERROR(parse("a,b\n1,2,3\n"), "t.csv:2: more than the header's 2 fields");
  EXPECT_MLC_ERROR(parse("a,b\n1,\"2\n"), "t.csv:2:3: unterminated quoted field");
  EXPECT_MLC_ERROR(parse("a,b\n1,\"2\"x\n"), "t.csv:2:6: unexpected text after a closing quote");
  EXPECT_MLC_ERROR(parse(",b\n1,2\n"), "t.csv:1: column 1 of the header has no name");
  EXPECT_MLC_ERROR(parse("a,a\n1,2\n"), "t.csv:1: column name 'a' appears twice");
  EXPECT_MLC_ERROR(read_csv("/nonexistent/t.csv"), "/nonexistent/t.csv: cannot open");
}

TEST(CsvReader, ExtensionDecidesTheFormat) {
  EXPECT_TRUE(is_csv_path("a/b.csv"));
  EXPECT_TRUE(is_csv_path("B.CSV"));
  EXPECT_FALSE(is_csv_path("b.npz"));
  EXPECT_FALSE(is_csv_path("csv"));
}

}  // namespace
}  // namespace mlc
