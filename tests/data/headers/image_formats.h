/* A small API whose loaders take self-describing images with no size argument (the
 * inference of measured() sizes from documentation, tests/inference/test_cuda_header.cpp). */
#ifndef IMAGE_FORMATS_H
#define IMAGE_FORMATS_H

typedef struct ldr_program *ldr_program_t;

/**
 * \brief Loads a program.
 *
 * The \p blob must be an ELF file as written by the linker.
 *
 * \param program - Returned program
 * \param blob    - The program's code
 */
int ldr_load(ldr_program_t *program, const void *blob);

/**
 * \brief Compiles a program from source.
 *
 * \param program - Returned program
 * \param source  - A null-terminated source text
 */
int ldr_compile(ldr_program_t *program, const void *source);

/**
 * \brief Hashes bytes.
 *
 * \param data  - Bytes to hash, an ELF file or anything else
 * \param size  - Number of bytes in \p data
 */
unsigned ldr_hash(const void *data, unsigned long size);

/**
 * \brief Sets a value.
 *
 * \param value - The new value
 */
int ldr_set(const void *value);

#endif
