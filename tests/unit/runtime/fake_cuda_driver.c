/* A fake CUDA driver (libfake_cuda_driver.so) for testing the runtime's CUDA path without a GPU. */
/*
 * It exports the cu* entry points the runtime resolves (by their versioned names) and implements them on
 * host memory, strictly: calls before cuInit or without a current context fail, copies must go in the
 * direction their name says and stay inside live allocations, handles must be live. The runtime loads
 * it through MLC_CUDA_DRIVER=<path to this library>.
 *
 * "Device" memory is mmap'ed and kept PROT_NONE except while the fake itself copies, sets or runs a
 * kernel, so a runtime that dereferences a device pointer on the host crashes instead of passing. New
 * device and pinned memory is filled with 0xFF (NaN as floats, -1 as ints), as real cuMemAlloc memory is
 * not zeroed either.
 *
 * Kernels: a module image is text starting with "//fake" that lists its kernels as ".entry <name>" lines.
 * cuModuleGetFunction resolves <name> with dlsym(RTLD_DEFAULT) in the calling program (built with
 * --export-dynamic), and cuLaunchKernel calls it once on the host as void <name>(void **kernelParams).
 * An image containing FAKE_INVALID_PTX fails to JIT (CUDA_ERROR_INVALID_PTX, with a two-line error log).
 *
 * Environment:
 *   FAKE_CUDA_DEVICES=N        device count (default 1)
 *   FAKE_CUDA_INIT_RESULT=R    cuInit returns R
 *   FAKE_CUDA_FAIL=symbol      that entry point fails with FAKE_CUDA_FAIL_RESULT (default 2, out of
 *                              memory) after FAKE_CUDA_FAIL_AFTER successful calls (default 0)
 *   FAKE_CUDA_STATS=path       at unload, writes "name value" lines: a call count per entry point and
 *                              the counters below, plus live_* counts of what was never freed
 * Built with FAKE_CUDA_OMIT_STREAM_CREATE it lacks cuStreamCreate, like a driver too old for the runtime.
 * fake_cuda_counter(name) reads a counter in-process; fake_cuda_device_bytes(p) tells kernels whether p
 * is device memory (the bytes from p to the end of its allocation, 0 if it is not).
 * cuMemcpyHtoDAsync_v2 is deferred until stream order, an event or a synchronization requires it (see
 * "Asynchronous host-to-device copies" below), so missing waits show up as stale data.
 * Stream capture (cuStreamBeginCapture_v2 .. cuStreamEndCapture): launches, cuMemcpyAsync and memsets
 * enqueued on a capturing stream are recorded into the graph instead of run; a launch records the VALUES
 * its parameters point to (a kernel <name> must export `const int <name>_nparams`, each parameter being
 * pointer-sized), as the real driver does. cuGraphLaunch replays the recorded work in order, in stream
 * order (after the waits and copies enqueued on its stream before it). cuStreamSynchronize of a
 * capturing stream aborts the process (it is illegal); other synchronizing calls (cuCtxSynchronize,
 * synchronous copies, cuEventSynchronize), async host copies and events on a capturing stream fail
 * with CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED while a capture is active and invalidate it (its
 * cuStreamEndCapture then fails with CUDA_ERROR_STREAM_CAPTURE_INVALIDATED).
 * Single-threaded, like the runtime's use of it in the tests.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;

enum {
  SUCCESS = 0,
  INVALID_VALUE = 1,
  OUT_OF_MEMORY = 2,
  NOT_INITIALIZED = 3,
  NO_DEVICE = 100,
  INVALID_DEVICE = 101,
  INVALID_IMAGE = 200,
  INVALID_CONTEXT = 201,
  INVALID_PTX = 218,
  INVALID_HANDLE = 400,
  NOT_FOUND = 500,
  LAUNCH_FAILED = 719,
  HOST_MEMORY_NOT_REGISTERED = 713,
  CAPTURE_UNSUPPORTED = 900,
  CAPTURE_INVALIDATED = 901,
};

static const struct {
  CUresult code;
  const char *name, *text;
} kErrors[] = {
    {SUCCESS, "CUDA_SUCCESS", "no error"},
    {INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {INVALID_PTX, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {HOST_MEMORY_NOT_REGISTERED, "CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED",
     "pointer does not correspond to a registered memory region"},
    {LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {CAPTURE_UNSUPPORTED, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", "operation not permitted when stream is capturing"},
    {CAPTURE_INVALIDATED, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED",
     "operation failed due to a previous error during capture"},
};

/* ---- counters ---------------------------------------------------------------------------------- */

#define MAX_COUNTERS 128
static struct {
  char name[48];
  long value;
} counters[MAX_COUNTERS];
static int ncounters;

static long* counter(const char* name) {
  for (int i = 0; i < ncounters; ++i)
    if (strcmp(counters[i].name, name) == 0) return &counters[i].value;
  if (ncounters == MAX_COUNTERS) abort();
  snprintf(counters[ncounters].name, sizeof counters[ncounters].name, "%s", name);
  counters[ncounters].value = 0;
  return &counters[ncounters++].value;
}

long fake_cuda_counter(const char* name) {
  for (int i = 0; i < ncounters; ++i)
    if (strcmp(counters[i].name, name) == 0) return counters[i].value;
  return 0;
}

static int env_int(const char* name, int fallback) {
  const char* v = getenv(name);
  return v && *v ? atoi(v) : fallback;
}

static int initialized;
static __thread void* current_context;
static char contexts[8];

/* Counts the call; returns the injected failure, if any, else 0. */
static CUresult enter(const char* symbol) {
  long calls = ++*counter(symbol);
  const char* fail = getenv("FAKE_CUDA_FAIL");
  if (fail && strcmp(fail, symbol) == 0 && calls > env_int("FAKE_CUDA_FAIL_AFTER", 0))
    return env_int("FAKE_CUDA_FAIL_RESULT", OUT_OF_MEMORY);
  return SUCCESS;
}

#define ENTER(symbol)                              \
  do {                                             \
    CUresult injected_ = enter(symbol);            \
    if (injected_ != SUCCESS) return injected_;    \
    if (!initialized) return NOT_INITIALIZED;      \
  } while (0)
#define ENTER_CTX(symbol)                                 \
  do {                                                    \
    ENTER(symbol);                                        \
    if (current_context == NULL) return INVALID_CONTEXT;  \
  } while (0)

/* ---- memory ------------------------------------------------------------------------------------ */

enum { DEVICE = 1, MANAGED = 2, PINNED = 4, REGISTERED = 8 };
typedef struct {
  char* base;
  size_t bytes, mapped;
  int kind, live;
} Region;
static Region regions[4096];
static int nregions;
static int access_depth; /* > 0 while device memory is readable and writable */

static Region* find_region(const void* p, size_t n, int kinds) {
  const char* c = (const char*)p;
  for (int i = 0; i < nregions; ++i) {
    Region* r = &regions[i];
    if (r->live && (r->kind & kinds) && c >= r->base && c < r->base + r->bytes)
      return n <= (size_t)(r->base + r->bytes - c) ? r : NULL;
  }
  return NULL;
}

static int in_kind(const void* p, int kinds) { return find_region(p, 1, kinds) != NULL; }

static void protect_device(int prot) {
  for (int i = 0; i < nregions; ++i)
    if (regions[i].live && regions[i].kind == DEVICE) mprotect(regions[i].base, regions[i].mapped, prot);
}
static void open_device(void) {
  if (access_depth++ == 0) protect_device(PROT_READ | PROT_WRITE);
}
static void close_device(void) {
  if (--access_depth == 0) protect_device(PROT_NONE);
}

static char* map_region(size_t bytes, int kind) {
  if (nregions == (int)(sizeof regions / sizeof regions[0])) return NULL;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t mapped = (bytes + page - 1) / page * page;
  char* p = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  memset(p, 0xFF, mapped);
  if (kind == DEVICE && access_depth == 0) mprotect(p, mapped, PROT_NONE);
  regions[nregions++] = (Region){p, bytes, mapped, kind, 1};
  return p;
}

static CUresult unmap_region(const void* p, int kinds) {
  for (int i = 0; i < nregions; ++i) {
    Region* r = &regions[i];
    if (r->live && (r->kind & kinds) && r->base == (const char*)p) {
      munmap(r->base, r->mapped);
      r->live = 0;
      return SUCCESS;
    }
  }
  return INVALID_VALUE;
}

static void flush_all(void); /* runs the deferred async copies (below) */
static int active_captures;  /* stream captures in progress (see "stream capture" below) */
static CUresult capture_unsupported(void);

size_t fake_cuda_device_bytes(const void* p) {
  Region* r = find_region(p, 1, DEVICE | MANAGED);
  return r ? (size_t)(r->base + r->bytes - (const char*)p) : 0;
}

/* ---- streams, events, modules, functions ------------------------------------------------------- */

typedef struct {
  int live;
} Handle;
static Handle streams[256], events[256];
static const void* event_stream[256]; /* where each event was last recorded, and the last copy it covers */
static long event_seq[256];

static Handle* new_handle(Handle* table, int n) {
  for (int i = 0; i < n; ++i)
    if (!table[i].live) {
      table[i].live = 1;
      return &table[i];
    }
  return NULL;
}
static int live_handle(const void* h, const Handle* table, int n) {
  const Handle* p = (const Handle*)h;
  return p >= table && p < table + n && p->live;
}
static int valid_stream(const void* s) { return s == NULL || live_handle(s, streams, 256); }

typedef struct {
  const char* image;
  int live;
} Module;
static Module modules[64];
static int nmodules;

typedef struct {
  void (*fn)(void**);
  char name[128];
  int nparams; /* from <name>_nparams, -1 if the program has none (then it cannot be captured) */
} Function;
static Function functions[256];
static int nfunctions;

/* The kernel names an image lists: ".entry <name>" at the start of a line. */
static int image_has_entry(const char* image, const char* name) {
  size_t n = strlen(name);
  for (const char* p = strstr(image, ".entry "); p; p = strstr(p + 1, ".entry ")) {
    if ((p == image || p[-1] == '\n') && strncmp(p + 7, name, n) == 0 && (p[7 + n] == '\n' || p[7 + n] == '\0'))
      return 1;
  }
  return 0;
}

/* ---- entry points ------------------------------------------------------------------------------ */

CUresult cuGetErrorName(CUresult error, const char** name) {
  ++*counter("cuGetErrorName");
  for (size_t i = 0; i < sizeof kErrors / sizeof kErrors[0]; ++i)
    if (kErrors[i].code == error) return *name = kErrors[i].name, SUCCESS;
  return INVALID_VALUE;
}

CUresult cuGetErrorString(CUresult error, const char** text) {
  ++*counter("cuGetErrorString");
  for (size_t i = 0; i < sizeof kErrors / sizeof kErrors[0]; ++i)
    if (kErrors[i].code == error) return *text = kErrors[i].text, SUCCESS;
  return INVALID_VALUE;
}

CUresult cuInit(unsigned int flags) {
  CUresult injected = enter("cuInit");
  if (injected != SUCCESS) return injected;
  if (flags != 0) return INVALID_VALUE;
  CUresult r = env_int("FAKE_CUDA_INIT_RESULT", SUCCESS);
  if (r == SUCCESS) initialized = 1;
  return r;
}

CUresult cuDeviceGetCount(int* count) {
  ENTER("cuDeviceGetCount");
  *count = env_int("FAKE_CUDA_DEVICES", 1);
  return SUCCESS;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
  ENTER("cuDeviceGet");
  if (ordinal < 0 || ordinal >= env_int("FAKE_CUDA_DEVICES", 1) || ordinal >= (int)sizeof contexts)
    return INVALID_DEVICE;
  *device = ordinal;
  return SUCCESS;
}

CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
  ENTER("cuDeviceGetName");
  if (name == NULL || length <= 0) return INVALID_VALUE;
  snprintf(name, (size_t)length, "Fake CUDA Device %d", device);
  return SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(void** context, CUdevice device) {
  ENTER("cuDevicePrimaryCtxRetain");
  if (device < 0 || device >= (int)sizeof contexts) return INVALID_DEVICE;
  *context = &contexts[device];
  *counter("device") = device;
  return SUCCESS;
}

CUresult cuCtxSetCurrent(void* context) {
  ENTER("cuCtxSetCurrent");
  if (context != NULL && ((char*)context < contexts || (char*)context >= contexts + sizeof contexts))
    return INVALID_CONTEXT;
  current_context = context;
  return SUCCESS;
}

CUresult cuCtxSynchronize(void) {
  ENTER_CTX("cuCtxSynchronize");
  if (active_captures) return capture_unsupported();
  flush_all();
  return SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes) {
  ENTER_CTX("cuMemAlloc_v2");
  if (pointer == NULL || bytes == 0) return INVALID_VALUE;
  char* p = map_region(bytes, DEVICE);
  if (p == NULL) return OUT_OF_MEMORY;
  *pointer = (CUdeviceptr)(uintptr_t)p;
  return SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr pointer) {
  ENTER_CTX("cuMemFree_v2");
  flush_all();
  return pointer == 0 ? SUCCESS : unmap_region((void*)(uintptr_t)pointer, DEVICE | MANAGED);
}

CUresult cuMemAllocManaged(CUdeviceptr* pointer, size_t bytes, unsigned int flags) {
  ENTER_CTX("cuMemAllocManaged");
  if (pointer == NULL || bytes == 0 || flags != 1 /* CU_MEM_ATTACH_GLOBAL */) return INVALID_VALUE;
  char* p = map_region(bytes, MANAGED);
  if (p == NULL) return OUT_OF_MEMORY;
  *pointer = (CUdeviceptr)(uintptr_t)p;
  return SUCCESS;
}

CUresult cuMemHostAlloc(void** pointer, size_t bytes, unsigned int flags) {
  ENTER_CTX("cuMemHostAlloc");
  if (pointer == NULL || bytes == 0 || flags > 7) return INVALID_VALUE;
  char* p = map_region(bytes, PINNED);
  if (p == NULL) return OUT_OF_MEMORY;
  *pointer = p;
  return SUCCESS;
}

CUresult cuMemFreeHost(void* pointer) {
  ENTER_CTX("cuMemFreeHost");
  flush_all();
  return unmap_region(pointer, PINNED);
}

CUresult cuMemHostRegister_v2(void* pointer, size_t bytes, unsigned int flags) {
  ENTER_CTX("cuMemHostRegister_v2");
  (void)flags;
  if (pointer == NULL || bytes == 0 || in_kind(pointer, DEVICE | MANAGED | PINNED | REGISTERED))
    return INVALID_VALUE;
  if (nregions == (int)(sizeof regions / sizeof regions[0])) return OUT_OF_MEMORY;
  regions[nregions++] = (Region){(char*)pointer, bytes, 0, REGISTERED, 1};
  *counter("registered_bytes") = (long)bytes;
  return SUCCESS;
}

CUresult cuMemHostUnregister(void* pointer) {
  ENTER_CTX("cuMemHostUnregister");
  for (int i = 0; i < nregions; ++i)
    if (regions[i].live && regions[i].kind == REGISTERED && regions[i].base == (char*)pointer) {
      regions[i].live = 0;
      return SUCCESS;
    }
  return HOST_MEMORY_NOT_REGISTERED;
}

static void copy(void* dst, const void* src, size_t bytes) {
  open_device();
  memmove(dst, src, bytes);
  close_device();
}

/* Asynchronous host-to-device copies are deferred: they run (reading their pinned source then, as a
 * DMA engine would) only when something orders them: a later operation on the same stream (a launch,
 * an async copy or memset), cuStreamSynchronize of it, cuEventSynchronize of an event recorded after
 * them, cuStreamWaitEvent on such an event (the waiting stream's later work then runs after them),
 * cuCtxSynchronize, cuStreamDestroy, or a free. A kernel on another stream that was not made to wait
 * therefore reads stale data. While a deferred copy is pending, its pinned source is read-only, so a
 * host write to a staging buffer whose copy may still be in flight crashes. */
typedef struct {
  char* dst;
  const char* src;
  size_t bytes;
  const void* stream;
  long seq;
} Pending;
static Pending pending[1024];
static int npending;
static long next_seq = 1;

static void protect_source(const char* src, int prot) {
  Region* r = find_region(src, 1, PINNED);
  if (r) mprotect(r->base, r->mapped, prot);
}

/* Runs, in order, the pending copies of `stream` (all streams if NULL) enqueued up to `seq`. */
static void flush(const void* stream, long seq) {
  int kept = 0;
  for (int i = 0; i < npending; ++i) {
    Pending p = pending[i];
    if ((stream == NULL || p.stream == stream) && p.seq <= seq) {
      copy(p.dst, p.src, p.bytes);
      ++*counter("async_copies_run");
    } else {
      pending[kept++] = p;
    }
  }
  npending = kept;
  /* Staging buffers no pending copy reads are writable again. */
  for (int i = 0; i < nregions; ++i) {
    Region* r = &regions[i];
    if (!r->live || r->kind != PINNED) continue;
    int busy = 0;
    for (int j = 0; j < npending && !busy; ++j) busy = pending[j].src >= r->base && pending[j].src < r->base + r->bytes;
    if (!busy) mprotect(r->base, r->mapped, PROT_READ | PROT_WRITE);
  }
}
static void flush_all(void) { flush(NULL, next_seq); }

/* cuStreamWaitEvent(stream, event): remembered on the waiting stream, and honoured (the copies the
 * event covered run) when that stream's later work runs. Waiting on the wrong stream orders nothing. */
enum { MAX_WAITS = 8 };
static struct {
  const void* stream;
  long seq;
} waits[256][MAX_WAITS];
static int nwaits[256];

static int stream_index(const void* stream) { return (int)((const Handle*)stream - streams); }

static void add_wait(const void* stream, const void* on_stream, long seq) {
  if (stream == NULL || nwaits[stream_index(stream)] == MAX_WAITS) {
    flush(on_stream, seq);
    return;
  }
  const int i = stream_index(stream);
  waits[i][nwaits[i]].stream = on_stream;
  waits[i][nwaits[i]++].seq = seq;
}

/* Before work on `stream` runs: what it waits for, then its own earlier copies. */
static void flush_stream(const void* stream) {
  if (stream == NULL) return;
  const int i = stream_index(stream);
  for (int w = 0; w < nwaits[i]; ++w) flush(waits[i][w].stream, waits[i][w].seq);
  nwaits[i] = 0;
  flush(stream, next_seq);
}

/* ---- stream capture and graphs ----------------------------------------------------------------- */

enum { OP_LAUNCH, OP_MEMSET, OP_MEMCPY, MAX_PARAMS = 64, MAX_OPS = 64 };
typedef struct {
  int kind;
  Function* function;                /* OP_LAUNCH */
  unsigned long long values[MAX_PARAMS]; /* the parameter values at capture */
  char* dst;                         /* OP_MEMSET, OP_MEMCPY */
  const char* src;
  size_t count, width;
  unsigned value;
} Op;
typedef struct {
  int live;
  int nops;
  Op ops[MAX_OPS];
} Graph;
static Graph graphs[8], execs[16];
static int capturing[256];       /* per stream: a capture is active */
static int capture_invalid[256]; /* something illegal happened during it */
static Graph recording[256];     /* what it recorded so far */

static int is_capturing(const void* stream) { return stream != NULL && capturing[stream_index(stream)]; }

/* A synchronizing or otherwise unsupported call while any capture is active: fails and invalidates it. */
static CUresult capture_unsupported(void) {
  if (active_captures == 0) return SUCCESS;
  for (int i = 0; i < 256; ++i)
    if (capturing[i]) capture_invalid[i] = 1;
  ++*counter("capture_unsupported");
  return CAPTURE_UNSUPPORTED;
}

static Op* record_op(const void* stream) {
  const int i = stream_index(stream);
  if (recording[i].nops == MAX_OPS) {
    capture_invalid[i] = 1;
    return NULL;
  }
  Op* op = &recording[i].ops[recording[i].nops++];
  memset(op, 0, sizeof *op);
  ++*counter("captured_ops");
  return op;
}

static Graph* new_graph(Graph* table, int n) {
  for (int i = 0; i < n; ++i)
    if (!table[i].live) {
      table[i].live = 1;
      return &table[i];
    }
  return NULL;
}
static int live_graph(const void* g, const Graph* table, int n) {
  const Graph* p = (const Graph*)g;
  return p >= table && p < table + n && p->live;
}

static void execute(Function* f, void** params) {
  ++*counter("launches");
  open_device();
  f->fn(params);
  close_device();
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
  ENTER_CTX("cuMemcpyHtoD_v2");
  if (active_captures) return capture_unsupported();
  void* d = (void*)(uintptr_t)dst;
  if (!find_region(d, bytes, DEVICE | MANAGED) || in_kind(src, DEVICE)) return INVALID_VALUE;
  ++*counter(find_region(src, bytes, PINNED | REGISTERED) ? "htod_pinned" : "htod_pageable");
  *counter("htod_bytes") += (long)bytes;
  copy(d, src, bytes);
  return SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
  ENTER_CTX("cuMemcpyDtoH_v2");
  if (active_captures) return capture_unsupported();
  const void* s = (const void*)(uintptr_t)src;
  if (!find_region(s, bytes, DEVICE | MANAGED) || in_kind(dst, DEVICE)) return INVALID_VALUE;
  ++*counter(find_region(dst, bytes, PINNED | REGISTERED) ? "dtoh_pinned" : "dtoh_pageable");
  *counter("dtoh_bytes") += (long)bytes;
  copy(dst, s, bytes);
  return SUCCESS;
}

/* Deferred (see above) on a stream; on the NULL stream it runs at once. */
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t bytes, void* stream) {
  ENTER_CTX("cuMemcpyHtoDAsync_v2");
  void* d = (void*)(uintptr_t)dst;
  if (!valid_stream(stream)) return INVALID_HANDLE;
  if (!find_region(d, bytes, DEVICE | MANAGED) || in_kind(src, DEVICE)) return INVALID_VALUE;
  if (is_capturing(stream)) return capture_unsupported(); /* host memory: not replayable here */
  const int pinned = find_region(src, bytes, PINNED | REGISTERED) != NULL;
  ++*counter(pinned ? "htod_async_pinned" : "htod_async_pageable");
  *counter("htod_async_bytes") += (long)bytes;
  if (stream == NULL || !pinned) { /* a pageable source is staged before the call returns */
    flush_stream(stream);
    copy(d, src, bytes);
    return SUCCESS;
  }
  if (npending == (int)(sizeof pending / sizeof pending[0])) flush_all();
  pending[npending++] = (Pending){(char*)d, (const char*)src, bytes, stream, next_seq++};
  protect_source((const char*)src, PROT_READ);
  return SUCCESS;
}

/* Unified addressing: either side may be device or host memory, but a device range must fit. */
CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, void* stream) {
  ENTER_CTX("cuMemcpyAsync");
  void* d = (void*)(uintptr_t)dst;
  const void* s = (const void*)(uintptr_t)src;
  if (!valid_stream(stream)) return INVALID_HANDLE;
  if ((in_kind(d, DEVICE | MANAGED) && !find_region(d, bytes, DEVICE | MANAGED)) ||
      (in_kind(s, DEVICE | MANAGED) && !find_region(s, bytes, DEVICE | MANAGED)))
    return INVALID_VALUE;
  *counter("memcpy_async_bytes") += (long)bytes;
  if (is_capturing(stream)) {
    if (!in_kind(d, DEVICE | MANAGED) || !in_kind(s, DEVICE | MANAGED)) return capture_unsupported();
    Op* op = record_op(stream);
    if (op == NULL) return CAPTURE_UNSUPPORTED;
    op->kind = OP_MEMCPY, op->dst = d, op->src = s, op->count = bytes;
    return SUCCESS;
  }
  flush_stream(stream);
  copy(d, s, bytes);
  return SUCCESS;
}

static CUresult memset_n(CUdeviceptr dst, unsigned value, size_t count, size_t width, void* stream) {
  void* d = (void*)(uintptr_t)dst;
  if (!valid_stream(stream)) return INVALID_HANDLE;
  if (dst % width != 0 || !find_region(d, count * width, DEVICE | MANAGED)) return INVALID_VALUE;
  if (is_capturing(stream)) {
    Op* op = record_op(stream);
    if (op == NULL) return CAPTURE_UNSUPPORTED;
    op->kind = OP_MEMSET, op->dst = d, op->count = count, op->width = width, op->value = value;
    return SUCCESS;
  }
  flush_stream(stream);
  open_device();
  for (size_t i = 0; i < count; ++i) {
    if (width == 4) ((uint32_t*)d)[i] = value;
    else ((uint16_t*)d)[i] = (uint16_t)value;
  }
  close_device();
  return SUCCESS;
}

CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned int value, size_t count) {
  ENTER_CTX("cuMemsetD32_v2");
  return memset_n(dst, value, count, 4, NULL);
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, void* stream) {
  ENTER_CTX("cuMemsetD32Async");
  return memset_n(dst, value, count, 4, stream);
}

CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t count, void* stream) {
  ENTER_CTX("cuMemsetD16Async");
  return memset_n(dst, value, count, 2, stream);
}

static CUresult load_module(void** module, const void* image) {
  if (module == NULL || image == NULL || strncmp((const char*)image, "//fake", 6) != 0) return INVALID_IMAGE;
  if (nmodules == 64) return OUT_OF_MEMORY;
  modules[nmodules] = (Module){(const char*)image, 1};
  *module = &modules[nmodules++];
  return SUCCESS;
}

CUresult cuModuleLoadData(void** module, const void* image) {
  ENTER_CTX("cuModuleLoadData");
  return load_module(module, image);
}

CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned int count, int* options, void** values) {
  ENTER_CTX("cuModuleLoadDataEx");
  char* log = NULL;
  size_t log_size = 0;
  for (unsigned i = 0; i < count; ++i) {
    if (options[i] == 5) log = values[i];                          /* CU_JIT_ERROR_LOG_BUFFER */
    if (options[i] == 6) log_size = (size_t)(uintptr_t)values[i];  /* ..._SIZE_BYTES */
    if (options[i] == 7) *counter("jit_opt_level") = (long)(uintptr_t)values[i]; /* OPTIMIZATION_LEVEL */
  }
  if (image != NULL && strstr((const char*)image, "FAKE_INVALID_PTX")) {
    if (log && log_size) snprintf(log, log_size, "ptxas fatal   : fake failure\nsecond line\n");
    return INVALID_PTX;
  }
  return load_module(module, image);
}

CUresult cuModuleUnload(void* module) {
  ENTER_CTX("cuModuleUnload");
  Module* m = module;
  if (m < modules || m >= modules + nmodules || !m->live) return INVALID_HANDLE;
  m->live = 0;
  return SUCCESS;
}

CUresult cuModuleGetFunction(void** function, void* module, const char* name) {
  ENTER_CTX("cuModuleGetFunction");
  Module* m = module;
  if (m < modules || m >= modules + nmodules || !m->live) return INVALID_HANDLE;
  if (!image_has_entry(m->image, name)) return NOT_FOUND;
  void* fn = dlsym(RTLD_DEFAULT, name);
  if (fn == NULL || nfunctions == 256) return NOT_FOUND;
  Function* f = &functions[nfunctions++];
  *(void**)&f->fn = fn;
  snprintf(f->name, sizeof f->name, "%s", name);
  char count_name[160];
  snprintf(count_name, sizeof count_name, "%s_nparams", name);
  const int* count = dlsym(RTLD_DEFAULT, count_name);
  f->nparams = count ? *count : -1;
  *function = f;
  return SUCCESS;
}

static int valid_function(const void* f) {
  return (const Function*)f >= functions && (const Function*)f < functions + nfunctions;
}

CUresult cuFuncSetAttribute(void* function, int attribute, int value) {
  ENTER_CTX("cuFuncSetAttribute");
  if (!valid_function(function)) return INVALID_HANDLE;
  if (attribute == 8) *counter("max_dynamic_shared") = value; /* MAX_DYNAMIC_SHARED_SIZE_BYTES */
  return SUCCESS;
}

static CUresult run(void* function, const unsigned dims[6], unsigned smem, void* stream, void** params,
                    void** extra) {
  if (!valid_function(function) || !valid_stream(stream)) return INVALID_HANDLE;
  for (int i = 0; i < 6; ++i)
    if (dims[i] == 0) return INVALID_VALUE;
  if ((unsigned long)dims[3] * dims[4] * dims[5] > 1024 || smem > 227 * 1024 || extra != NULL || params == NULL)
    return INVALID_VALUE;
  static const char* names[6] = {"grid_x", "grid_y", "grid_z", "block_x", "block_y", "block_z"};
  for (int i = 0; i < 6; ++i) *counter(names[i]) = dims[i];
  *counter("smem") = smem;
  Function* f = function;
  if (is_capturing(stream)) { /* recorded with its parameter values, run by cuGraphLaunch */
    if (f->nparams < 0 || f->nparams > MAX_PARAMS) return capture_unsupported();
    Op* op = record_op(stream);
    if (op == NULL) return CAPTURE_UNSUPPORTED;
    op->kind = OP_LAUNCH;
    op->function = f;
    for (int i = 0; i < f->nparams; ++i) memcpy(&op->values[i], params[i], sizeof op->values[i]);
    return SUCCESS;
  }
  flush_stream(stream); /* stream order: its earlier copies first */
  execute(f, params);
  return SUCCESS;
}

CUresult cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned smem, void* stream, void** params, void** extra) {
  ENTER_CTX("cuLaunchKernel");
  const unsigned dims[6] = {gx, gy, gz, bx, by, bz};
  return run(function, dims, smem, stream, params, extra);
}

/* Layouts as in cuda.h (CUDA 12/13). */
typedef struct {
  int id;
  char pad[4];
  union {
    char pad[64];
    struct {
      unsigned x, y, z;
    } clusterDim;
    void* align;
  } value;
} LaunchAttribute;
typedef struct {
  unsigned gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes;
  void* hStream;
  LaunchAttribute* attrs;
  unsigned numAttrs;
} LaunchConfig;

CUresult cuLaunchKernelEx(const LaunchConfig* config, void* function, void** params, void** extra) {
  ENTER_CTX("cuLaunchKernelEx");
  if (config == NULL || config->numAttrs != 1 || config->attrs == NULL ||
      config->attrs[0].id != 4 /* CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION */)
    return INVALID_VALUE;
  *counter("cluster_x") = config->attrs[0].value.clusterDim.x;
  *counter("cluster_y") = config->attrs[0].value.clusterDim.y;
  *counter("cluster_z") = config->attrs[0].value.clusterDim.z;
  const unsigned dims[6] = {config->gridDimX,  config->gridDimY,  config->gridDimZ,
                            config->blockDimX, config->blockDimY, config->blockDimZ};
  return run(function, dims, config->sharedMemBytes, config->hStream, params, extra);
}

#ifndef FAKE_CUDA_OMIT_STREAM_CREATE /* built that way as a driver too old for the runtime */
CUresult cuStreamCreate(void** stream, unsigned int flags) {
  ENTER_CTX("cuStreamCreate");
  if (stream == NULL || flags > 1) return INVALID_VALUE;
  *counter("stream_flags") = flags;
  return (*stream = new_handle(streams, 256)) ? SUCCESS : OUT_OF_MEMORY;
}
#endif

CUresult cuStreamSynchronize(void* stream) {
  ENTER_CTX("cuStreamSynchronize");
  if (!valid_stream(stream)) return INVALID_HANDLE;
  if (is_capturing(stream)) {
    fprintf(stderr, "fake CUDA driver: cuStreamSynchronize on a capturing stream\n");
    abort();
  }
  flush_stream(stream);
  return SUCCESS;
}

CUresult cuStreamDestroy_v2(void* stream) {
  ENTER_CTX("cuStreamDestroy_v2");
  if (stream == NULL || !valid_stream(stream) || is_capturing(stream)) return INVALID_HANDLE;
  flush_stream(stream); /* pending work completes */
  ((Handle*)stream)->live = 0;
  nwaits[stream_index(stream)] = 0;
  return SUCCESS;
}

CUresult cuStreamWaitEvent(void* stream, void* event, unsigned int flags) {
  ENTER_CTX("cuStreamWaitEvent");
  if (!valid_stream(stream) || !live_handle(event, events, 256)) return INVALID_HANDLE;
  if (flags != 0) return INVALID_VALUE;
  if (is_capturing(stream)) return capture_unsupported(); /* an event from outside the capture */
  const int e = (int)((Handle*)event - events);
  add_wait(stream, event_stream[e], event_seq[e]); /* what the event covers runs before the stream's later work */
  return SUCCESS;
}

CUresult cuEventCreate(void** event, unsigned int flags) {
  ENTER_CTX("cuEventCreate");
  if (event == NULL || flags > 15) return INVALID_VALUE;
  *counter("event_flags") = flags;
  if ((*event = new_handle(events, 256)) == NULL) return OUT_OF_MEMORY;
  const int e = (int)((Handle*)*event - events);
  event_stream[e] = NULL, event_seq[e] = 0; /* never recorded: complete */
  return SUCCESS;
}

CUresult cuEventRecord(void* event, void* stream) {
  ENTER_CTX("cuEventRecord");
  if (!live_handle(event, events, 256) || !valid_stream(stream)) return INVALID_HANDLE;
  if (is_capturing(stream)) return capture_unsupported();
  const int e = (int)((Handle*)event - events);
  event_stream[e] = stream;
  event_seq[e] = stream == NULL ? 0 : next_seq - 1;
  return SUCCESS;
}

CUresult cuEventSynchronize(void* event) {
  ENTER_CTX("cuEventSynchronize");
  if (active_captures) return capture_unsupported();
  if (!live_handle(event, events, 256)) return INVALID_HANDLE;
  const int e = (int)((Handle*)event - events);
  flush(event_stream[e], event_seq[e]);
  return SUCCESS;
}

CUresult cuEventDestroy_v2(void* event) {
  ENTER_CTX("cuEventDestroy_v2");
  if (!live_handle(event, events, 256)) return INVALID_HANDLE;
  ((Handle*)event)->live = 0;
  return SUCCESS;
}

CUresult cuStreamBeginCapture_v2(void* stream, int mode) {
  ENTER_CTX("cuStreamBeginCapture_v2");
  if (stream == NULL || !valid_stream(stream)) return INVALID_HANDLE; /* the legacy stream cannot capture */
  if (mode < 0 || mode > 2) return INVALID_VALUE;
  const int i = stream_index(stream);
  if (capturing[i]) return CAPTURE_UNSUPPORTED;
  capturing[i] = 1, capture_invalid[i] = 0, recording[i].nops = 0;
  ++active_captures;
  *counter("capture_mode") = mode;
  return SUCCESS;
}

CUresult cuStreamEndCapture(void* stream, void** graph) {
  ENTER_CTX("cuStreamEndCapture");
  if (stream == NULL || !valid_stream(stream) || graph == NULL) return INVALID_VALUE;
  const int i = stream_index(stream);
  if (!capturing[i]) return 903; /* CUDA_ERROR_STREAM_CAPTURE_UNMATCHED */
  capturing[i] = 0;
  --active_captures;
  if (capture_invalid[i]) return CAPTURE_INVALIDATED;
  Graph* g = new_graph(graphs, 8);
  if (g == NULL) return OUT_OF_MEMORY;
  g->nops = recording[i].nops;
  memcpy(g->ops, recording[i].ops, sizeof g->ops);
  *graph = g;
  return SUCCESS;
}

CUresult cuStreamIsCapturing(void* stream, int* status) {
  ENTER_CTX("cuStreamIsCapturing");
  if (!valid_stream(stream) || status == NULL) return INVALID_VALUE;
  *status = is_capturing(stream) ? 1 /* ACTIVE */ : 0 /* NONE */;
  return SUCCESS;
}

CUresult cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long flags) {
  ENTER_CTX("cuGraphInstantiateWithFlags");
  if (exec == NULL || !live_graph(graph, graphs, 8)) return INVALID_VALUE;
  if (flags != 0) return INVALID_VALUE;
  Graph* e = new_graph(execs, 16);
  if (e == NULL) return OUT_OF_MEMORY;
  e->nops = ((Graph*)graph)->nops;
  memcpy(e->ops, ((Graph*)graph)->ops, sizeof e->ops);
  *exec = e;
  return SUCCESS;
}

CUresult cuGraphLaunch(void* exec, void* stream) {
  ENTER_CTX("cuGraphLaunch");
  if (!live_graph(exec, execs, 16) || !valid_stream(stream)) return INVALID_HANDLE;
  if (is_capturing(stream)) return capture_unsupported();
  flush_stream(stream); /* stream order: the waits and copies enqueued before it */
  Graph* g = exec;
  for (int n = 0; n < g->nops; ++n) {
    Op* op = &g->ops[n];
    if (op->kind == OP_LAUNCH) {
      void* params[MAX_PARAMS];
      for (int i = 0; i < op->function->nparams; ++i) params[i] = &op->values[i];
      execute(op->function, params);
    } else if (op->kind == OP_MEMCPY) {
      copy(op->dst, op->src, op->count);
    } else {
      open_device();
      for (size_t i = 0; i < op->count; ++i) {
        if (op->width == 4) ((uint32_t*)op->dst)[i] = op->value;
        else ((uint16_t*)op->dst)[i] = (uint16_t)op->value;
      }
      close_device();
    }
  }
  return SUCCESS;
}

CUresult cuGraphExecDestroy(void* exec) {
  ENTER_CTX("cuGraphExecDestroy");
  if (!live_graph(exec, execs, 16)) return INVALID_HANDLE;
  ((Graph*)exec)->live = 0;
  return SUCCESS;
}

CUresult cuGraphDestroy(void* graph) {
  ENTER_CTX("cuGraphDestroy");
  if (!live_graph(graph, graphs, 8)) return INVALID_HANDLE;
  ((Graph*)graph)->live = 0;
  return SUCCESS;
}

/* ---- statistics at unload ---------------------------------------------------------------------- */

__attribute__((destructor)) static void write_stats(void) {
  const char* path = getenv("FAKE_CUDA_STATS");
  if (path == NULL || *path == '\0') return;
  long live[4] = {0, 0, 0, 0}; /* device, managed, pinned, registered */
  for (int i = 0; i < nregions; ++i)
    if (regions[i].live) ++live[regions[i].kind == DEVICE ? 0 : regions[i].kind == MANAGED ? 1 : regions[i].kind == PINNED ? 2 : 3];
  long live_streams = 0, live_events = 0, live_modules = 0;
  for (int i = 0; i < 256; ++i) live_streams += streams[i].live, live_events += events[i].live;
  for (int i = 0; i < nmodules; ++i) live_modules += modules[i].live;
  FILE* f = fopen(path, "w");
  if (f == NULL) return;
  for (int i = 0; i < ncounters; ++i) fprintf(f, "%s %ld\n", counters[i].name, counters[i].value);
  fprintf(f, "live_device_allocs %ld\nlive_managed_allocs %ld\nlive_pinned_allocs %ld\nlive_registered %ld\n",
          live[0], live[1], live[2], live[3]);
  fprintf(f, "live_streams %ld\nlive_events %ld\nlive_modules %ld\n", live_streams, live_events, live_modules);
  fprintf(f, "pending_async_copies %d\n", npending);
  long live_graphs = 0, live_execs = 0;
  for (int i = 0; i < 8; ++i) live_graphs += graphs[i].live;
  for (int i = 0; i < 16; ++i) live_execs += execs[i].live;
  fprintf(f, "live_graphs %ld\nlive_graph_execs %ld\nactive_captures %d\n", live_graphs, live_execs,
          active_captures);
  fclose(f);
}
