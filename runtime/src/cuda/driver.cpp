// Run-time loading of the CUDA driver (dlopen/dlsym), one-time initialization, and error reporting.
#include "cuda/driver.h"

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace mlc::cuda {
namespace {

constexpr const char* kDefaultLibrary = "libcuda.so.1";
constexpr const char* kTargetNote = "this trainer was compiled with --target=cuda";

// Used when the driver cannot name an error itself (a stub library's cuGetErrorName fails too).
struct KnownError {
  CUresult code;
  const char* name;
  const char* description;
};
constexpr KnownError kKnownErrors[] = {
    {1, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {3, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {4, "CUDA_ERROR_DEINITIALIZED", "driver shutting down"},
    {34, "CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library"},
    {36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER", "the call requires a newer CUDA driver"},
    {46, "CUDA_ERROR_DEVICE_UNAVAILABLE", "CUDA-capable device(s) is/are busy or unavailable"},
    {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {101, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {200, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {201, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {209, "CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device"},
    {218, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain"},
    {400, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {500, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {719, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {801, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", "system has unsupported display driver / cuda driver combination"},
    {900, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", "operation not permitted when stream is capturing"},
    {901, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", "operation failed due to a previous error during capture"},
    {999, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

struct State {
  std::string path;
  Driver api{};
  int ordinal = 0;
  CUdevice device = 0;
  CUcontext context = nullptr;
  std::string name;
};

// Set once the library is open (before cuInit), so errors during initialization can be named.
PFN_cuGetErrorName g_error_name = nullptr;
PFN_cuGetErrorString g_error_string = nullptr;
std::string* g_library_path = nullptr;

std::atomic<int> g_requested_device{0};
std::atomic<bool> g_initialized{false};
thread_local bool t_context_current = false;

[[noreturn]] void missing_entry_point(const char* symbol) {
  fatal("the CUDA driver " + (g_library_path ? *g_library_path : std::string(kDefaultLibrary)) +
        " has no entry point " + symbol + " (it is too old for this trainer)");
}

State* initialize() {
  auto* s = new State;  // lives for the process: nothing may call into the driver during static destruction
  const char* env = std::getenv("MLC_CUDA_DRIVER");
  s->path = env != nullptr && *env != '\0' ? env : kDefaultLibrary;
  g_library_path = &s->path;

  dlerror();
  void* handle = dlopen(s->path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    fatal(std::string("no CUDA driver found: ") + kTargetNote + " (" + (why ? why : s->path.c_str()) + ")");
  }

#define MLC_CUDA_RESOLVE(name, symbol, params)                                             \
  s->api.name = reinterpret_cast<PFN_##name>(dlsym(handle, #symbol));                      \
  if (s->api.name == nullptr) {                                                            \
    s->api.name = [](auto...) -> CUresult { missing_entry_point(#symbol); };               \
  }
  MLC_CUDA_DRIVER_FUNCTIONS(MLC_CUDA_RESOLVE)
#undef MLC_CUDA_RESOLVE
  g_error_name = reinterpret_cast<PFN_cuGetErrorName>(dlsym(handle, "cuGetErrorName"));
  g_error_string = reinterpret_cast<PFN_cuGetErrorString>(dlsym(handle, "cuGetErrorString"));

  const Driver& d = s->api;
  const std::string no_device = std::string("no CUDA device found: ") + kTargetNote;
  CUresult r = d.cuInit(0);
  if (r == CUDA_ERROR_NO_DEVICE) fatal(no_device);
  check(r, "cuInit");
  int count = 0;
  check(d.cuDeviceGetCount(&count), "cuDeviceGetCount");
  if (count <= 0) fatal(no_device);
  s->ordinal = g_requested_device.load();
  if (s->ordinal < 0 || s->ordinal >= count) {
    fatal("no CUDA device " + std::to_string(s->ordinal) + ": this machine has " + std::to_string(count) +
          " (devices 0 to " + std::to_string(count - 1) + ")");
  }
  check(d.cuDeviceGet(&s->device, s->ordinal), "cuDeviceGet");
  char name[256] = {0};
  check(d.cuDeviceGetName(name, static_cast<int>(sizeof name - 1), s->device), "cuDeviceGetName");
  s->name = name;
  check(d.cuDevicePrimaryCtxRetain(&s->context, s->device), "cuDevicePrimaryCtxRetain");
  g_initialized.store(true);
  return s;
}

State& state() {
  static State* s = initialize();  // thread-safe one-time initialization
  return *s;
}

}  // namespace

const Driver& driver() {
  State& s = state();
  if (!t_context_current) {
    check(s.api.cuCtxSetCurrent(s.context), "cuCtxSetCurrent");
    t_context_current = true;
  }
  return s.api;
}

int device_ordinal() { return state().ordinal; }
const std::string& device_name() { return state().name; }

void set_default_device(int ordinal) {
  if (!g_initialized.load()) g_requested_device.store(ordinal);
}

void check(CUresult result, const char* call, const std::string& detail) {
  if (result == CUDA_SUCCESS) return;
  const char* name = nullptr;
  const char* description = nullptr;
  if (g_error_name == nullptr || g_error_name(result, &name) != CUDA_SUCCESS) name = nullptr;
  if (g_error_string == nullptr || g_error_string(result, &description) != CUDA_SUCCESS) description = nullptr;
  for (const KnownError& e : kKnownErrors) {
    if (e.code != result) continue;
    if (name == nullptr) name = e.name;
    if (description == nullptr) description = e.description;
  }
  std::string message = std::string("CUDA call ") + call + " failed: " +
                        (name ? std::string(name) : "CUDA error " + std::to_string(result)) + " (" +
                        (description ? description : "no description available") + ")";
  if (!detail.empty()) message += " " + detail;
  fatal(message);
}

void fatal(const std::string& message) {
  std::fflush(stdout);
  if (isatty(fileno(stderr))) std::fputs("\r\033[K", stderr);  // clear a progress bar the line would follow
  std::string line = message;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';  // one line, whatever the driver's text holds
  }
  std::fprintf(stderr, "error: %s\n", line.c_str());
  std::fflush(stderr);
  std::exit(1);
}

}  // namespace mlc::cuda
