// Reads a trainer's JSON-lines log (--log) back: step, epoch, final and confusion records.
#ifndef MLC_RUNTIME_REPORT_RUN_LOG_H
#define MLC_RUNTIME_REPORT_RUN_LOG_H

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace mlc {

struct StepRecord {
  double step = 0, epoch = 0, loss = 0, lr = 0;  // NaN where the log has null or lacks the field
};

struct EpochRecord {
  double epoch = 0;
  std::vector<std::pair<std::string, double>> values;  // every numeric field but "epoch", in order
  double get(const std::string& name) const;         // NaN if absent
};

struct RunLog {
  std::vector<StepRecord> steps;
  std::vector<EpochRecord> epochs;
  std::vector<std::pair<std::string, double>> final_values;  // the "final" record, if any
  std::vector<std::vector<double>> confusion;                // the last confusion matrix, if any
  std::size_t skipped_lines = 0;  // lines that are not whole records (a log cut by a crash)
};

// Parses JSON-lines text as the trainer writes it. Lines that are not a JSON object of numbers,
// null, booleans, strings and arrays (at most 2 levels) are counted in skipped_lines, except that a
// malformed line in the middle of the text (not the last) is an mlc::Error naming `where` and the line.
RunLog parse_run_log(const std::string& text, const std::string& where);
// Reads and parses a file; throws mlc::Error naming it if it cannot be read.
RunLog read_run_log(const std::string& path);

}  // namespace mlc

#endif  // MLC_RUNTIME_REPORT_RUN_LOG_H
