// Compile-time check of the runtime's own CUDA driver declarations (runtime/src/cuda/driver.h) against
// the real cuda.h: every entry point's signature, the launch structs' layout and the constants. Built
// only where cuda.h is found; nothing is linked from CUDA.
#include "cuda/driver.h"  // first: cuda.h's macros (cuMemAlloc -> cuMemAlloc_v2) must not rename its fields

#include <cuda.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <type_traits>

namespace {

template <class T, class = void>
struct is_complete : std::false_type {};
template <class T>
struct is_complete<T, std::void_t<decltype(sizeof(T))>> : std::true_type {};

template <class A, class B>
constexpr bool same_abi();

template <class A, class B>
constexpr bool same_pointee() {
  using PA = std::remove_pointer_t<A>;
  using PB = std::remove_pointer_t<B>;
  if constexpr (std::is_const_v<PA> != std::is_const_v<PB>) {
    return false;
  } else {
    using UA = std::remove_cv_t<PA>;
    using UB = std::remove_cv_t<PB>;
    if constexpr (std::is_void_v<UA> || std::is_void_v<UB>) {
      return std::is_same_v<UA, UB>;
    } else if constexpr (std::is_class_v<UA> || std::is_class_v<UB>) {
      if constexpr (is_complete<UA>::value && is_complete<UB>::value) return sizeof(UA) == sizeof(UB);
      else return std::is_same_v<UA, UB>;  // opaque handles: the same struct tag
    } else {
      return same_abi<UA, UB>();
    }
  }
}

// Same size and kind (integer/enum, or pointer to something of the same ABI).
template <class A, class B>
constexpr bool same_abi() {
  if constexpr (std::is_pointer_v<A> || std::is_pointer_v<B>) {
    if constexpr (std::is_pointer_v<A> && std::is_pointer_v<B>) return same_pointee<A, B>();
    else return false;
  } else {
    return sizeof(A) == sizeof(B) && (std::is_integral_v<A> || std::is_enum_v<A>) ==
                                         (std::is_integral_v<B> || std::is_enum_v<B>);
  }
}

template <class R1, class... A1, class R2, class... A2>
constexpr bool same_signature(R1 (*)(A1...), R2 (*)(A2...)) {
  if constexpr (sizeof...(A1) != sizeof...(A2)) return false;
  else return same_abi<R1, R2>() && (same_abi<A1, A2>() && ... && true);
}

// `symbol` is expanded by cuda.h's macros to the entry point it declares, which is the symbol itself.
#define MLC_CHECK_SIGNATURE(name, symbol, params)                                                       \
  static_assert(same_signature(static_cast<mlc::cuda::PFN_##name>(nullptr), &::symbol),               \
                "driver.h declares " #symbol " differently from cuda.h");
MLC_CUDA_DRIVER_FUNCTIONS(MLC_CHECK_SIGNATURE)
#undef MLC_CHECK_SIGNATURE

namespace ours = mlc::cuda;

static_assert(sizeof(ours::CUresult) == sizeof(::CUresult));
static_assert(sizeof(ours::CUdeviceptr) == sizeof(::CUdeviceptr));
static_assert(std::is_same_v<ours::CUcontext, ::CUcontext>);

static_assert(sizeof(ours::CUlaunchAttribute) == sizeof(::CUlaunchAttribute));
static_assert(alignof(ours::CUlaunchAttribute) == alignof(::CUlaunchAttribute));
static_assert(offsetof(ours::CUlaunchAttribute, value) == offsetof(::CUlaunchAttribute, value));
static_assert(offsetof(ours::CUlaunchAttribute, value.clusterDim.z) ==
              offsetof(::CUlaunchAttribute, value.clusterDim.z));
static_assert(sizeof(ours::CUlaunchConfig) == sizeof(::CUlaunchConfig));
static_assert(offsetof(ours::CUlaunchConfig, sharedMemBytes) == offsetof(::CUlaunchConfig, sharedMemBytes));
static_assert(offsetof(ours::CUlaunchConfig, hStream) == offsetof(::CUlaunchConfig, hStream));
static_assert(offsetof(ours::CUlaunchConfig, attrs) == offsetof(::CUlaunchConfig, attrs));
static_assert(offsetof(ours::CUlaunchConfig, numAttrs) == offsetof(::CUlaunchConfig, numAttrs));

static_assert(ours::CUDA_SUCCESS == ::CUDA_SUCCESS);
static_assert(ours::CUDA_ERROR_NO_DEVICE == ::CUDA_ERROR_NO_DEVICE);
static_assert(ours::CU_STREAM_NON_BLOCKING == ::CU_STREAM_NON_BLOCKING);
static_assert(ours::CU_EVENT_DISABLE_TIMING == ::CU_EVENT_DISABLE_TIMING);
static_assert(ours::CU_MEM_ATTACH_GLOBAL == ::CU_MEM_ATTACH_GLOBAL);
static_assert(ours::CU_JIT_ERROR_LOG_BUFFER == ::CU_JIT_ERROR_LOG_BUFFER);
static_assert(ours::CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES == ::CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
static_assert(ours::CU_JIT_OPTIMIZATION_LEVEL == ::CU_JIT_OPTIMIZATION_LEVEL);
static_assert(ours::CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES ==
              ::CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES);
static_assert(ours::CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION == ::CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION);

}  // namespace

TEST(CudaAbiLayout, DriverDeclarationsMatchCudaH) {
  // Everything is checked by the static_asserts above; this records that they were compiled.
  SUCCEED() << "checked against cuda.h " << CUDA_VERSION;
}
