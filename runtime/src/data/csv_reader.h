// Reads CSV text (RFC 4180: a header line, comma-separated fields, "quoted" fields with "" escapes) into cells.
#ifndef MLC_RUNTIME_DATA_CSV_READER_H
#define MLC_RUNTIME_DATA_CSV_READER_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mlc {

// A parsed CSV file: the header's column names and every row's cells (unquoted, as written). Cells
// are views into one buffer, so a table of millions of cells costs 8 bytes of index per cell.
class CsvTable {
 public:
  std::string path;                  // names the file in errors
  std::vector<std::string> header;   // column names, unique and non-empty

  std::size_t rows() const { return lines_.size(); }
  std::size_t columns() const { return header.size(); }
  std::string_view cell(std::size_t row, std::size_t column) const {
    const std::size_t i = row * header.size() + column;
    const std::size_t begin = i ? ends_[i - 1] : 0;
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  // The 1-based line of the file where `row` starts (for "FILE:LINE: ..." errors).
  std::size_t line(std::size_t row) const { return lines_[row]; }
  // The index of the column `name`; -1 if there is none.
  long find(const std::string& name) const;
  // "a, b, c" (for errors that list what the file has).
  std::string column_list() const;

  friend CsvTable parse_csv(const char* data, std::size_t size, const std::string& path);

 private:
  std::string text_;                // every cell's text, back to back
  std::vector<std::size_t> ends_;   // end offset of each cell in text_, row-major
  std::vector<std::size_t> lines_;  // start line of each row
};

// Parses CSV bytes. A UTF-8 byte-order mark is skipped, lines end with \n or \r\n, blank lines are
// skipped, a quoted field may hold commas, quotes ("") and line breaks. Throws mlc::Error with one
// line "PATH:LINE[:COLUMN]: ..." for an empty file, an empty or duplicate column name, a row with
// another number of fields than the header, an unterminated quote or text after a closing quote.
CsvTable parse_csv(const char* data, std::size_t size, const std::string& path);

// Reads and parses the file at `path`.
CsvTable read_csv(const std::string& path);

// `text` for an error message: at most 40 characters, control characters (a quoted field's line
// break) written as \n, \r, \t or \xHH, so the message stays one line.
std::string printable(std::string_view text);

// True for a path ending in ".csv" (any case): the trainer reads it as CSV, anything else as NumPy.
bool is_csv_path(const std::string& path);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_CSV_READER_H
