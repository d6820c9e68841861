/* A hand-written stand-in for an mlc-compiled model: softmax regression on 1x2x2 inputs, 3 classes, batch 4. */
/*
 * It implements the ABI of mlc_runtime.h with real gradient math so the trainer's end-to-end tests can
 * see the loss fall. It is also strict about what the runtime hands it (alignment, step numbering,
 * zeroed optimizer state, label range) and aborts on violations, which fails those tests loudly.
 * Built as plain SGD, and with FAKE_MODEL_ADAM for Adam (two state slots, five hypers).
 *
 * With FAKE_MODEL_CUDA it is a `target cuda` model: the step functions do what MLIR 19's gpu-to-llvm
 * code does for one synchronous gpu.launch_func (mgpuModuleLoadJIT, mgpuModuleGetFunction,
 * mgpuStreamCreate, mgpuLaunchKernel, mgpuStreamSynchronize, mgpuStreamDestroy, mgpuModuleUnload), and
 * the same math runs as the "kernel" on the fake CUDA driver (fake_cuda_driver.c), which calls it on
 * the host. The kernel also checks that every argument is device memory of the right size.
 */
#ifdef FAKE_MODEL_CUDA
#define _GNU_SOURCE /* RTLD_NOLOAD */
#include <dlfcn.h>

#include "mlc_cuda_abi.h"
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mlc_runtime.h"

#define BATCH 4
#define IN 4
#define CLASSES 3
#define NPARAM 2

#ifdef FAKE_MODEL_CUDA
#define TARGET_RECORD "target cuda\n"
#else
#define TARGET_RECORD ""
#endif

#ifdef FAKE_MODEL_ADAM
const char mlc_model_meta[] =
    "mlc-model 1\n" TARGET_RECORD
    "batch 4\n"
    "loss cross_entropy\n"
    "optimizer adam\n"
    "input x f32 4 1 2 2\n"
    "label y i32 4\n"
    "output logits f32 4 3\n"
    "state 2\n"
    "hyper lr beta1 beta2 epsilon step\n"
    "param w f32 0 3 4\n"
    "param b f32 12 3\n"
    "buffer steps f32 15 1\n"
    "workspace 256 128\n";
#define NSTATE 2
#define NHYPER 5
#else
const char mlc_model_meta[] =
    "mlc-model 1\n" TARGET_RECORD
    "batch 4\n"
    "loss cross_entropy\n"
    "optimizer sgd\n"
    "input x f32 4 1 2 2\n"
    "label y i32 4\n"
    "output logits f32 4 3\n"
    "state 0\n"
    "hyper lr step\n"
    "param w f32 0 3 4\n"
    "param b f32 12 3\n"
    "buffer steps f32 15 1\n"
    "workspace 256 128\n";
#define NSTATE 0
#define NHYPER 2
#endif

/* w, b, then the buffer: a count of train steps from kStepsInit, which train_step advances and
   eval_step checks (so buffers must start from mlc_param_init and persist across steps). */
#define NBUFFER 1
static const float kStepsInit = 100.0f;
const float mlc_param_init[16] = {0.05f, -0.02f, 0.01f, 0.03f, -0.04f, 0.02f, 0.00f, -0.01f,
                                  0.01f, 0.04f,  -0.03f, 0.02f, 0.0f,  0.0f,  0.0f,  100.0f};

static const int kSizes[NPARAM] = {CLASSES * IN, CLASSES};
static long last_step = 0;
/* The buffer's value before step 1: kStepsInit from mlc_param_init, or more when a run starts from a
   checkpoint's weights (--init-from) or resumes (then it is fixed at the first step of the process). */
static float steps_base = 0.0f;

static void die(const char* what) {
  fprintf(stderr, "fake_model: ABI violation: %s\n", what);
  abort();
}

static void check_aligned(void** args, int n) {
  for (int i = 0; i < n; ++i) {
    if (args[i] == NULL || ((uintptr_t)args[i] % MLC_BUFFER_ALIGNMENT) != 0) die("argument not 64-byte aligned");
  }
}

static void forward(const float* w, const float* b, const float* x, float* logits) {
  for (int n = 0; n < BATCH; ++n)
    for (int k = 0; k < CLASSES; ++k) {
      float s = b[k];
      for (int j = 0; j < IN; ++j) s += w[k * IN + j] * x[n * IN + j];
      logits[n * CLASSES + k] = s;
    }
}

enum { FIRST_BUFFER = NPARAM * (1 + NSTATE), FIRST_INPUT = FIRST_BUFFER + NBUFFER };
enum { NTRAIN_ARGS = FIRST_INPUT + 2 + NHYPER + 2, NEVAL_ARGS = NPARAM + NBUFFER + 3 };

static void train_step(void** args) {
  enum { NARGS = NTRAIN_ARGS };
  check_aligned(args, NARGS);
  float* params[NPARAM] = {(float*)args[0], (float*)args[1]};
  float* steps_seen = (float*)args[FIRST_BUFFER];
  const float* x = (const float*)args[FIRST_INPUT];
  const int32_t* y = (const int32_t*)args[FIRST_INPUT + 1];
  float* const* hyper = (float* const*)&args[FIRST_INPUT + 2];
  float* loss_out = (float*)args[NARGS - 2];
  float* ws = (float*)args[NARGS - 1];
  const float lr = *hyper[0];
  const float step = *hyper[NHYPER - 1];

  if (step != floorf(step) || step < 1) die("step is not a positive integer");
  /* The first step of a process may be any (a resumed run); after it they count up by one. */
  if (last_step != 0 && (long)step != last_step + 1) die("step does not count up by one");
  if (last_step == 0) steps_base = *steps_seen - (step - 1);
  if (steps_base < kStepsInit) die("buffer not initialized from mlc_param_init");
  if (*steps_seen != steps_base + step - 1) die("buffer not kept between steps");
  last_step = (long)step;
  *steps_seen += 1.0f;
  for (int n = 0; n < BATCH; ++n)
    if (y[n] < 0 || y[n] >= CLASSES) die("label out of range");

  /* Workspace: logits, then gradients of w and b. 256 bytes hold 64 floats; we use 12 + 15. */
  float* logits = ws;
  float* grad[NPARAM] = {ws + BATCH * CLASSES, ws + BATCH * CLASSES + CLASSES * IN};
  forward(params[0], params[1], x, logits);
  for (int i = 0; i < CLASSES * IN + CLASSES; ++i) grad[0][i] = 0.0f;

  float loss = 0.0f;
  for (int n = 0; n < BATCH; ++n) {
    float* l = logits + n * CLASSES;
    float max = l[0];
    for (int k = 1; k < CLASSES; ++k) max = l[k] > max ? l[k] : max;
    float sum = 0.0f;
    for (int k = 0; k < CLASSES; ++k) sum += expf(l[k] - max);
    loss += logf(sum) + max - l[y[n]];
    for (int k = 0; k < CLASSES; ++k) {
      float d = (expf(l[k] - max) / sum - (k == y[n] ? 1.0f : 0.0f)) / BATCH;
      for (int j = 0; j < IN; ++j) grad[0][k * IN + j] += d * x[n * IN + j];
      grad[1][k] += d;
    }
  }
  *loss_out = loss / BATCH;

#ifdef FAKE_MODEL_ADAM
  const float beta1 = *hyper[1], beta2 = *hyper[2], eps = *hyper[3];
  for (int p = 0; p < NPARAM; ++p) {
    float* m = (float*)args[NPARAM + p];
    float* v = (float*)args[2 * NPARAM + p];
    for (int i = 0; i < kSizes[p]; ++i) {
      if (step == 1 && (m[i] != 0.0f || v[i] != 0.0f)) die("optimizer state not zeroed");
      m[i] = beta1 * m[i] + (1 - beta1) * grad[p][i];
      v[i] = beta2 * v[i] + (1 - beta2) * grad[p][i] * grad[p][i];
      float mhat = m[i] / (1 - powf(beta1, step));
      float vhat = v[i] / (1 - powf(beta2, step));
      params[p][i] -= lr * mhat / (sqrtf(vhat) + eps);
    }
  }
#else
  for (int p = 0; p < NPARAM; ++p)
    for (int i = 0; i < kSizes[p]; ++i) params[p][i] -= lr * grad[p][i];
#endif
}

static void eval_step(void** args) {
  check_aligned(args, NEVAL_ARGS);
  /* Without training in this process (--evaluate, --predict) the buffer comes from a checkpoint; after
     training it is the last step's, or an earlier step's when --keep-best restored a best epoch. */
  const float seen = *(const float*)args[NPARAM];
  if (last_step != 0 && (seen < steps_base + 1 || seen > steps_base + (float)last_step || seen != floorf(seen)))
    die("eval_step did not get a trained buffer");
  forward((const float*)args[0], (const float*)args[1], (const float*)args[NPARAM + NBUFFER],
          (float*)args[NPARAM + NBUFFER + 1]);
}

#ifndef FAKE_MODEL_CUDA
void mlc_train_step(void** args) { train_step(args); }
void mlc_eval_step(void** args) { eval_step(args); }
#else
/* The "PTX" of this model: the fake driver reads the kernel names from it. */
static const char kPtx[] = "//fake ptx\n.entry fake_train_kernel\n.entry fake_eval_kernel\n";

static size_t device_bytes(const void* p) {
  static size_t (*query)(const void*);
  if (query == NULL) {
    const char* path = getenv("MLC_CUDA_DRIVER");
    void* driver = path ? dlopen(path, RTLD_NOW | RTLD_NOLOAD) : NULL;
    if (driver != NULL) *(void**)&query = dlsym(driver, "fake_cuda_device_bytes");
    if (query == NULL) die("kernel launched, but not by the fake CUDA driver");
  }
  return query(p);
}

/* Kernel parameters as gpu-to-llvm passes them with bare pointers: params[i] points at argument i. */
static void device_args(void** params, void** args, int n, const size_t* bytes) {
  for (int i = 0; i < n; ++i) {
    args[i] = *(void**)params[i];
    if (device_bytes(args[i]) < bytes[i]) die("argument is not device memory of the expected size");
  }
}

/* Parameter counts for the fake driver's stream capture (it records the values parameters point to). */
const int fake_train_kernel_nparams = NTRAIN_ARGS;
const int fake_eval_kernel_nparams = NEVAL_ARGS;

void fake_train_kernel(void** params) {
  void* args[NTRAIN_ARGS];
  size_t bytes[NTRAIN_ARGS];
  int k = 0;
  for (int s = 0; s < 1 + NSTATE; ++s)
    for (int p = 0; p < NPARAM; ++p) bytes[k++] = kSizes[p] * sizeof(float);
  bytes[k++] = sizeof(float); /* the buffer */
  bytes[k++] = BATCH * IN * sizeof(float);
  bytes[k++] = BATCH * sizeof(int32_t);
  for (int h = 0; h < NHYPER; ++h) bytes[k++] = sizeof(float);
  bytes[k++] = sizeof(float);
  bytes[k++] = 256; /* workspace train */
  device_args(params, args, NTRAIN_ARGS, bytes);
  train_step(args);
}

void fake_eval_kernel(void** params) {
  void* args[NEVAL_ARGS];
  const size_t bytes[NEVAL_ARGS] = {CLASSES * IN * sizeof(float), CLASSES * sizeof(float), sizeof(float),
                                    BATCH * IN * sizeof(float), BATCH * CLASSES * sizeof(float), 128};
  device_args(params, args, NEVAL_ARGS, bytes);
  eval_step(args);
}

static void launch(const char* kernel, void** args, int n) {
  void* params[NTRAIN_ARGS];
  for (int i = 0; i < n; ++i) params[i] = &args[i];
  CUmodule module = mgpuModuleLoadJIT((void*)kPtx, 3);
  CUfunction function = mgpuModuleGetFunction(module, kernel);
  CUstream stream = mgpuStreamCreate();
  mgpuLaunchKernel(function, 1, 1, 1, 1, 1, 1, 0, stream, params, NULL, (size_t)n);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
}

void mlc_train_step(void** args) { launch("fake_train_kernel", args, NTRAIN_ARGS); }
void mlc_eval_step(void** args) { launch("fake_eval_kernel", args, NEVAL_ARGS); }
#endif
