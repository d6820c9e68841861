/* The C ABI between mlc-generated code and the mlc runtime (training-loop driver, data, metrics). */
#ifndef MLC_RUNTIME_H
#define MLC_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Symbols that `mlc compile` emits into the model object and that the runtime links against.
 *
 *   void mlc_train_step(void **args);
 *   void mlc_eval_step(void **args);
 *   extern const char  mlc_model_meta[];   NUL-terminated text, format below
 *   extern const float mlc_param_init[];   initial values of every parameter and buffer, concatenated
 *   extern const uint8_t mlc_export_onnx[];       the ONNX inference template for --export (may be empty)
 *   extern const uint64_t mlc_export_onnx_size;   its size in bytes (0 for models not imported from ONNX)
 *
 * Every argument of a step function is a pointer to a dense, row-major, 64-byte aligned buffer whose
 * shape is fixed at compile time (scalars are pointers to one element). `args` is an array of those
 * pointers in this order:
 *
 *   train_step: params[P], state[S][P] (slot-major: slot 0 of every param, then slot 1, ...),
 *               buffers[B], input, label, class_weights (only with a `class_weights` record: K floats
 *               the runtime fills once), hypers[H] (one float each, order as in the `hyper` line),
 *               loss_out (float), workspace
 *   eval_step:  params[P], buffers[B], input, output (the model's output, e.g. logits), workspace
 *
 * Parameters, optimizer state and buffers are updated in place by train_step. Optimizer state starts
 * at zero; parameters and buffers at their values in mlc_param_init. Buffers are model state that the
 * optimizer does not train (batch-norm running statistics): train_step replaces them, eval_step reads
 * them.
 * `workspace` is caller-allocated scratch of `workspace train|eval` bytes; the step functions do not
 * allocate. Evaluation metrics (test loss, accuracy) are computed by the runtime from `output`, so
 * a partial last test batch can be padded and its padding ignored.
 *
 * Target cuda (metadata `target cuda`): EVERY pointer in `args` is a CUDA device pointer (a CUdeviceptr
 * of the runtime's context, cast to void *): parameters, optimizer state and buffers (allocated once,
 * parameters and buffers copied from mlc_param_init, state zeroed), input, label, each hyper, loss_out, the eval output and the
 * workspace. All are at least 256-byte aligned, except the hypers: they share one device buffer, each in
 * its own MLC_BUFFER_ALIGNMENT-byte slot (so one copy per step updates them). After train_step the
 * runtime copies loss_out back, after eval_step the output; those copies do not synchronize with
 * streams the model creates, so a step function must have finished all its device work when it
 * returns (it synchronizes its stream, as gpu.launch_func and a gpu-async-region step do).
 *
 * Train batches are double-buffered: there are two input and two label device buffers, and the args
 * of successive train_steps alternate between them. The runtime copies batch i+1 on its own copy
 * stream (cuMemcpyHtoDAsync from pinned memory) while step i runs, so when train_step is called its
 * input and label may still be in flight. What orders them is the COMPUTE STREAM contract: the stream
 * pool behind mgpuStreamCreate has one distinguished stream, and mgpuStreamCreate returns it whenever
 * it is not already taken (between steps it never is). Before each train_step the runtime enqueues on
 * it a cuStreamWaitEvent for the batch's copies, so every kernel a step launches on the FIRST stream it
 * creates is ordered after them. A step that uses further streams must order them after its first one
 * (mgpuEventRecord on the first, mgpuStreamWaitEvent on the others) before they read input or label.
 * Parameters, state, workspace and the hypers (copied synchronously before the step, if one is `step`)
 * are ready before the step is called; eval_step's input is copied synchronously.
 *
 * CUDA graphs (`--cuda-graph`, target cuda only; a cpu trainer rejects it as a usage error): the
 * runtime removes the per-step launch overhead by replaying train_step as a CUDA graph. The first
 * train_step of the run is always called normally (it loads the modules). For each of the two batch
 * slots, the next train_step with that slot's args is called under stream capture of the compute
 * stream (cuStreamBeginCapture, thread-local mode): its launches are recorded, not run, and
 * mgpuStreamSynchronize on the compute stream returns without synchronizing while the capture is
 * active. The runtime then instantiates the graph and launches it once; every later step of that slot
 * is only cuGraphLaunch on the compute stream (after the batch's cuStreamWaitEvent) and a
 * cuStreamSynchronize: train_step is NOT called again. This is correct only if a train step is a pure
 * function of its device buffers: it must
 *   - do the same device work every time, with the same kernel arguments (the args of a slot, including
 *     the hyper and loss_out addresses, never change; the hypers' VALUES are copied before each step
 *     and read by the captured kernels from the fixed hyper buffer);
 *   - enqueue all its device work on the compute stream (the first stream it creates): launches,
 *     mgpuMemcpy and mgpuMemset between device buffers; no other stream, no events, no host
 *     synchronization other than mgpuStreamSynchronize of that stream, no allocation
 *     (mgpuMemAlloc/mgpuMemFree), no copies to or from host memory, no host-side computation whose
 *     result changes between steps.
 * A step that breaks the contract in a way the driver detects ends the run with a "CUDA call
 * cuStreamEndCapture failed" (or similar) error line; one that does not (e.g. host-side state) trains
 * wrongly. eval_step is never captured. The graphs are destroyed when training ends.
 *
 * The model's host code reaches the GPU only through the mgpu* functions of mlc_cuda_abi.h, which the
 * runtime implements on the CUDA driver; the primary context of the runtime's device is current on the
 * calling thread. The link line is the same as for cpu (no CUDA library: the driver is loaded at run time, see mlc_cuda_abi.h).
 *
 * Metadata text: one record per line, fields separated by single spaces, shapes as dims after dtype.
 *   mlc-model 1
 *   target cpu|cuda                     (optional, absent means cpu: where the step functions run)
 *   batch 64
 *   loss cross_entropy|mse
 *   optimizer sgd|adam
 *   input <name> f32 <dims...>          (dims include the batch dimension)
 *   label <name> i32|f32 <dims...>      (class indices, or float targets of the output's shape)
 *   class_weights f32 <K>               (optional: the loss takes K class weights, K = the classes)
 *   output <name> f32 <dims...>
 *   state <S>                           (optimizer state tensors per parameter)
 *   hyper <name>...                     (scalar runtime arguments of train_step, in order)
 *   param <name> f32 <offset> <dims...> (offset: in floats, into mlc_param_init)
 *   param_layout <name> <perm...>       (optional, after its param: the param, its initial value and
 *                                        its optimizer state are stored transposed, stored dimension i
 *                                        being dimension perm[i] of the model's tensor; the param's
 *                                        dims are the stored ones; checkpoints and exports hold the
 *                                        model's layout)
 *   buffer <name> f32 <offset> <dims...> (zero or more, after the params; offsets as for params)
 *   profile_op <group> <flops> <bytes>  (zero or more: the ops of train_step, in the ids its
 *                                        mlc_profile_begin/end calls pass; groups in mlc_names.h)
 *   workspace <train_bytes> <eval_bytes>
 * optimizer: sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw.
 * Hyperparameter names the runtime knows: lr, momentum, lr_decay, alpha, beta1, beta2, epsilon,
 * step (1-based step count as a float), seed (dropout's key, a float), weight_decay, delta,
 * label_smoothing, l1, clip_norm, clip_value.
 */
typedef void (*mlc_step_fn)(void **args);

/* Called by a CPU train_step around each of its ops (ids index the profile_op records); the runtime
   times them when the trainer runs with --profile and returns at once otherwise. */
void mlc_profile_begin(int32_t op);
void mlc_profile_end(int32_t op);

/* Defined by the model object that `mlc compile` emits (declared here so the runtime and tests agree). */
void mlc_train_step(void **args);
void mlc_eval_step(void **args);
extern const char mlc_model_meta[];
extern const float mlc_param_init[];

/*
 * Defined by the runtime: the whole trainer (options, data, training loop, evaluation, logging). The
 * `main` in libmlc_runtime.a only calls this; it is separate so tests can run the trainer in-process.
 * Returns the exit status: 0 success, 1 bad usage, data, metadata or checkpoint (one "error: ..."
 * line on stderr), 2 training diverged (a NaN or Inf loss or parameter), 128 + the signal after
 * SIGINT/SIGTERM (the step finished, a checkpoint written with --checkpoint; one line on stderr).
 */
int mlc_trainer_main(int argc, char **argv);

#define MLC_ABI_VERSION 1
#define MLC_BUFFER_ALIGNMENT 64

#ifdef __cplusplus
}
#endif

#endif /* MLC_RUNTIME_H */
