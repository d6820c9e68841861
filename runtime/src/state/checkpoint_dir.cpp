// Checkpoint files on disk: POSIX rename for atomicity, fsync of file and directory for durability.
#include "state/checkpoint_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace mlc {
namespace {

constexpr char kPrefix[] = "ckpt-";
constexpr char kSuffix[] = ".mlcckpt";
constexpr char kTempPrefix[] = ".tmp-ckpt-";

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The step of a checkpoint file name, or nullopt for any other name.
std::optional<std::uint64_t> step_of(const std::string& name) {
  const std::size_t prefix = sizeof kPrefix - 1, suffix = sizeof kSuffix - 1;
  if (name.size() <= prefix + suffix || name.compare(0, prefix, kPrefix) != 0 || !ends_with(name, kSuffix)) {
    return std::nullopt;
  }
  const std::string digits = name.substr(prefix, name.size() - prefix - suffix);
  if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(digits);
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) out.push_back(e->d_name);
  closedir(d);
  return out;
}

void fsync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string checkpoint_file_name(std::uint64_t step) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%010llu%s", kPrefix, static_cast<unsigned long long>(step), kSuffix);
  return buf;
}

std::vector<std::string> list_checkpoints(const std::string& dir) {
  std::vector<std::pair<std::uint64_t, std::string>> found;
  for (const std::string& name : entries(dir)) {
    if (auto step = step_of(name)) found.emplace_back(*step, dir + "/" + name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

void ensure_directory(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw Error(dir + ": not a directory (--checkpoint needs one)");
    return;
  }
  const std::size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) ensure_directory(dir.substr(0, slash));
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    throw Error(dir + ": cannot create checkpoint directory: " + std::strerror(errno));
  }
}

std::string write_checkpoint_atomically(const std::string& dir, std::uint64_t step, std::size_t keep,
                                        const std::function<void(const std::string& tmp_path)>& write) {
  const std::string final_path = dir + "/" + checkpoint_file_name(step);
  const std::string tmp_path = dir + "/" + kTempPrefix + std::to_string(::getpid());
  try {
    write(tmp_path);
  } catch (...) {
    std::remove(tmp_path.c_str());
    throw;
  }
  if (std::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    const int saved = errno;
    std::remove(tmp_path.c_str());
    throw Error(final_path + ": cannot rename the new checkpoint into place: " + std::strerror(saved));
  }
  fsync_directory(dir);

  // Only after the new checkpoint is durable may older ones go.
  std::vector<std::string> all = list_checkpoints(dir);
  for (std::size_t i = 0; i + keep < all.size(); ++i) std::remove(all[i].c_str());
  // Leftovers of killed writers go too, but not another live process's file in progress.
  for (const std::string& name : entries(dir)) {
    if (name.compare(0, sizeof kTempPrefix - 1, kTempPrefix) != 0) continue;
    const std::string pid_text = name.substr(sizeof kTempPrefix - 1);
    char* end = nullptr;
    const long pid = std::strtol(pid_text.c_str(), &end, 10);
    const bool alive = !pid_text.empty() && *end == '\0' && pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
    if (!alive) std::remove((dir + "/" + name).c_str());
  }
  return final_path;
}

std::optional<std::string> resolve_resume(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) throw Error(path + ": cannot resume from it: " + std::strerror(errno));
    if (ends_with(path, kSuffix)) throw Error(path + ": no such checkpoint");
    return std::nullopt;
  }
  if (!S_ISDIR(st.st_mode)) return path;
  std::vector<std::string> all = list_checkpoints(path);
  if (all.empty()) return std::nullopt;
  return all.back();
}

}  // namespace mlc
