// A directory of checkpoints: atomic writes (temporary file, fsync, rename), the newest K kept, lookup.
#ifndef MLC_RUNTIME_STATE_CHECKPOINT_DIR_H
#define MLC_RUNTIME_STATE_CHECKPOINT_DIR_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlc {

// "ckpt-0000001234.mlcckpt" for the state after `step` training steps (names sort by step).
std::string checkpoint_file_name(std::uint64_t step);

// The checkpoints in `dir`, oldest first (by the step in the name). Temporary files are not listed.
std::vector<std::string> list_checkpoints(const std::string& dir);

// Creates `dir` (and missing parents) if needed; throws mlc::Error naming it if that fails or it is a file.
void ensure_directory(const std::string& dir);

// Writes dir/checkpoint_file_name(step) atomically: `write` fills a temporary file in `dir` (it is
// given its path), which is fsynced and renamed over the final name; the directory is fsynced too.
// Then all but the newest `keep` checkpoints are removed, with any temporary file left by a killed
// run. If `write` throws, the temporary file is removed and every existing checkpoint is untouched.
// Returns the final path.
std::string write_checkpoint_atomically(const std::string& dir, std::uint64_t step, std::size_t keep,
                                        const std::function<void(const std::string& tmp_path)>& write);

// What --resume=PATH names: a checkpoint file (returned as is), or a directory whose newest checkpoint
// is returned; an empty or missing directory gives nullopt (a fresh run). A missing path that ends in
// ".mlcckpt" is an error (a typo must not silently restart a long run).
std::optional<std::string> resolve_resume(const std::string& path);

}  // namespace mlc

#endif  // MLC_RUNTIME_STATE_CHECKPOINT_DIR_H
