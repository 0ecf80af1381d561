"""Hand-written cuRAND host API truth labels for /usr/local/cuda/include/curand.h,
read from its Doxygen comments (CUDA 13). Rules and judgment calls: NOTES.md.

Output pointers of the generate functions are "Pointer to device memory to
store CUDA-generated results, or Pointer to host memory to store CPU-generated
results": which one depends on how the generator was created (a property of
the handle, not of any parameter), and the main use is device memory that the
host never dereferences, so they are `opaque` (as cudaMemcpy's dst/src)."""

HANDLE_TYPES = {"curandGenerator_t", "curandDiscreteDistribution_t", "cudaStream_t"}
# curandSetStream: "Stream to use or NULL for null stream".
NULLABLE_HANDLES = {"cudaStream_t"}
STATUS_TYPES = {"curandStatus_t": "CURAND_STATUS_SUCCESS"}

GEN_OUT = ("opaque -- \"Pointer to device memory to store CUDA-generated results, or Pointer to host memory to store "
           "CPU-generated results\": device memory for a device generator; kernels are launched on the generator's stream")


def generate(out="outputPtr"):
    return {"sync": "async", "note": "\"Launches are done with the stream set using curandSetStream(), or the null stream\"",
            "params": {out: GEN_OUT}}


LABELS = {
    "curandCreateGenerator": {"params": {"generator": "out element elem=handle allocates -- \"Pointer to generator\": \"Creates a new random number generator of type rng_type\""}},
    "curandCreateGeneratorHost": {"params": {"generator": "out element elem=handle allocates -- \"Pointer to generator\" (host CPU generator)"}},
    "curandDestroyGenerator": {"params": {"generator": "handle deallocates -- \"Generator to destroy\""}},
    "curandGetVersion": {"params": {"version": "out element -- \"CURAND library version\": \"Return in *version the version number of the dynamically linked CURAND library\""}},
    "curandGetProperty": {"params": {"value": "out element -- \"integer value for the requested property\""}},
    "curandSetStream": {},
    "curandSetPseudoRandomGeneratorSeed": {},
    "curandSetGeneratorOffset": {},
    "curandSetGeneratorOrdering": {},
    "curandSetQuasiRandomGeneratorDimensions": {},
    "curandGenerate": generate(),
    "curandGenerateLongLong": generate(),
    "curandGenerateUniform": generate(),
    "curandGenerateUniformDouble": generate(),
    "curandGenerateNormal": generate(),
    "curandGenerateNormalDouble": generate(),
    "curandGenerateLogNormal": generate(),
    "curandGenerateLogNormalDouble": generate(),
    "curandGeneratePoisson": generate(),
    "curandCreatePoissonDistribution": {"params": {
        "discrete_distribution": "out element elem=handle allocates -- \"pointer to the histogram in device memory\": one distribution handle is returned"}},
    "curandDestroyDistribution": {"params": {"discrete_distribution": "handle deallocates -- \"pointer to device memory where the histogram is stored\""}},
    "curandGenerateSeeds": {"sync": "async", "note": "\"Generate the starting state of the generator\" with a kernel on the generator's stream"},
    "curandGetDirectionVectors32": {"params": {
        "vectors": "out element elem=buffer -- \"Address of pointer in which to return direction vectors\": one pointer to a library-owned host table"}},
    "curandGetDirectionVectors64": {"params": {
        "vectors": "out element elem=buffer -- \"Address of pointer in which to return direction vectors\""}},
    "curandGetScrambleConstants32": {"params": {
        "constants": "out element elem=buffer -- \"Address of pointer in which to return scramble constants\""}},
    "curandGetScrambleConstants64": {"params": {
        "constants": "out element elem=buffer -- \"Address of pointer in which to return scramble constants\""}},
}
