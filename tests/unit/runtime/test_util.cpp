// Implementation of the runtime tests' helpers (POSIX process and file plumbing, zlib for .gz fixtures).
#include "test_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <csignal>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"

namespace mlc::test {

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/mlc-runtime-test-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + templ);
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data,
                                    std::uint8_t type, int rank_override) {
  std::vector<std::uint8_t> out = {0, 0, type,
                                   static_cast<std::uint8_t>(rank_override >= 0 ? rank_override : dims.size())};
  for (std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(d >> shift));
  }
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::vector<std::uint8_t> int32_payload(const std::vector<std::int32_t>& values) {
  std::vector<std::uint8_t> out;
  for (std::int32_t v : values) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(std::uint32_t(v) >> shift));
  }
  return out;
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

void write_gz(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path);
  if (!bytes.empty() && gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) != static_cast<int>(bytes.size())) {
    gzclose(f);
    throw std::runtime_error("cannot write " + path);
  }
  if (gzclose(f) != Z_OK) throw std::runtime_error("cannot close " + path);
}

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) lines.push_back(line);
  return lines;
}

void write_mnist_dir(const std::string& dir, const SplitBytes& train, const SplitBytes& test, bool gz) {
  auto write = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
    if (gz) write_gz(dir + "/" + name + ".gz", bytes);
    else write_bytes(dir + "/" + name, bytes);
  };
  auto n = [](const SplitBytes& s) { return static_cast<std::uint32_t>(s.labels.size()); };
  write("train-images-idx3-ubyte", idx_bytes({n(train), train.rows, train.cols}, train.pixels));
  write("train-labels-idx1-ubyte", idx_bytes({n(train)}, train.labels));
  write("t10k-images-idx3-ubyte", idx_bytes({n(test), test.rows, test.cols}, test.pixels));
  write("t10k-labels-idx1-ubyte", idx_bytes({n(test)}, test.labels));
}

SplitBytes toy_split(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  SplitBytes s;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t p[4];
    for (auto& v : p) v = static_cast<std::uint8_t>(rng.below(256));
    s.pixels.insert(s.pixels.end(), p, p + 4);
    std::uint8_t label = 0;
    for (std::uint8_t k = 1; k < 3; ++k) {
      if (p[k] > p[label]) label = k;
    }
    s.labels.push_back(label);
  }
  return s;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> log_without_seconds(const std::string& path) {
  std::vector<std::string> lines;
  for (const std::string& l : split_lines(read_text(path))) {
    lines.push_back(std::regex_replace(l, std::regex(R"(, "seconds": [-+.\w]+)"), ""));
  }
  return lines;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

std::size_t count_lines(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return 0;
  std::size_t n = 0;
  for (int c; (c = std::fgetc(f)) != EOF;) n += c == '\n';
  std::fclose(f);
  return n;
}

ProcessResult run_process_impl(const std::vector<std::string>& argv, const std::string& scratch,
                               const std::vector<std::string>& env, const std::string& watch, std::size_t min_lines,
                               int signal) {
  const std::string out_path = scratch + "/proc.stdout", err_path = scratch + "/proc.stderr";
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) _exit(126);
    dup2(out, 1);
    dup2(err, 2);
    for (const std::string& e : env) {
      const std::size_t eq = e.find('=');
      if (eq == std::string::npos || setenv(e.substr(0, eq).c_str(), e.c_str() + eq + 1, 1) != 0) _exit(125);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  bool reaped = false;
  while (signal != 0 && !reaped) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      reaped = true;
    } else if (count_lines(watch) >= min_lines) {
      kill(pid, signal);
      signal = 0;
    } else {
      usleep(1000);
    }
  }
  if (!reaped && waitpid(pid, &status, 0) != pid) throw std::runtime_error("waitpid failed");
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& scratch,
                          const std::vector<std::string>& env) {
  return run_process_impl(argv, scratch, env, "", 0, 0);
}

ProcessResult run_process_signalled(const std::vector<std::string>& argv, const std::string& scratch,
                                    const std::string& watch, std::size_t min_lines, int signal) {
  return run_process_impl(argv, scratch, {}, watch, min_lines, signal);
}

}  // namespace mlc::test
