/* The host-side GPU ABI that MLIR 19.1.7's `gpu-to-llvm` emits into a --target=cuda model object: the
 * mgpu* functions. libmlc_runtime.a implements them on the CUDA driver API, which it loads at run time
 * (dlopen of libcuda.so.1), so a trainer links without CUDA installed:
 *   clang++ model.o libmlc_runtime.a -lz -lm [-fopenmp=libomp] -o trainer
 * Generated code declares these itself; this header is for the runtime, tests and documentation.
 *
 * Signatures are exactly the 19.1.7 declarations (older and newer upstream revisions differ:
 * mgpuModuleLoad without a size, mgpuMemAlloc without isHostShared, mgpuModuleLoadJIT with an extra
 * assembly size; re-check on an MLIR upgrade).
 *
 * Behaviour (differences from upstream CudaRuntimeWrappers.cpp noted):
 *  - Modules: 19.1.7 loads and unloads the module around EVERY launch. The runtime caches loaded modules
 *    by the blob's address for the life of the process; mgpuModuleUnload is a no-op. mgpuModuleLoadJIT
 *    takes NUL-terminated PTX (format=isa) and JIT-compiles it once; mgpuModuleLoad takes a cubin or
 *    fatbin (format=bin/fatbin). Function handles are cached per module and name.
 *  - Streams are created non-blocking. mgpuStreamDestroy returns a stream to a small pool that
 *    mgpuStreamCreate reuses (a reused stream can only add ordering, never remove it). The pool's first
 *    stream is the compute stream: mgpuStreamCreate returns it whenever it is not taken, and the trainer
 *    enqueues the waits for a step's batch uploads on it (see mlc_runtime.h); it is never destroyed.
 *  - mgpuMemAlloc of 0 bytes returns NULL; isHostShared allocates managed memory.
 *  - mgpuSetDefaultDevice selects the device only before the first CUDA use in the process (as
 *    upstream); a trainer has already initialized device 0 by the time a step runs.
 *  - Every driver call is checked. A failure ends the process with exit status 1 and one line on stderr:
 *      error: CUDA call cuXxx failed: CUDA_ERROR_NAME (description)[ detail]
 *    A missing driver, or no device, ends it the same way (see runtime/src/cuda/driver.h).
 */
#ifndef MLC_CUDA_ABI_H
#define MLC_CUDA_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque driver handles; the same struct tags as cuda.h, so the two headers can be included together. */
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;

CUmodule mgpuModuleLoad(void *data, size_t gpuBlobSize);
CUmodule mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(CUmodule module);
CUfunction mgpuModuleGetFunction(CUmodule module, const char *name);
void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY, intptr_t gridZ, intptr_t blockX,
                      intptr_t blockY, intptr_t blockZ, int32_t smem, CUstream stream, void **params, void **extra,
                      size_t paramsCount);
void mgpuLaunchClusterKernel(CUfunction function, intptr_t clusterX, intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                             intptr_t blockZ, int32_t smem, CUstream stream, void **params, void **extra);

CUstream mgpuStreamCreate(void);
void mgpuStreamDestroy(CUstream stream);
void mgpuStreamSynchronize(CUstream stream);
void mgpuStreamWaitEvent(CUstream stream, CUevent event);

CUevent mgpuEventCreate(void);
void mgpuEventDestroy(CUevent event);
void mgpuEventSynchronize(CUevent event);
void mgpuEventRecord(CUevent event, CUstream stream);

void *mgpuMemAlloc(uint64_t sizeBytes, CUstream stream, bool isHostShared);
void mgpuMemFree(void *ptr, CUstream stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, CUstream stream); /* any direction (UVA) */
void mgpuMemset32(void *dst, unsigned int value, size_t count, CUstream stream);
void mgpuMemset16(void *dst, unsigned short value, size_t count, CUstream stream);

void mgpuSetDefaultDevice(int32_t device);

void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes);
void mgpuMemHostUnregister(void *ptr);
/* `descriptor` is a StridedMemRefType<char, rank>: {allocated, aligned, offset, sizes[rank], strides[rank]};
 * only dense (row-major, contiguous) memrefs are accepted. */
void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor, int64_t elementSizeBytes);
void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor, int64_t elementSizeBytes);

#ifdef __cplusplus
}
#endif

#endif /* MLC_CUDA_ABI_H */
