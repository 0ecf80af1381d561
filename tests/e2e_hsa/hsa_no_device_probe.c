/* HSA without a device: every answer the runtime gives with no GPU (status codes, its
 * own descriptions of them, the extension queries' flags) must read the same natively
 * and through the stack. Exercises C-only idioms of a header never seen by the rules:
 * `hsa_init()` declared without a prototype, `bool *` results (C's _Bool), and
 * `const char **` results that point into the library's own memory. */
#include <hsa/hsa.h>
#include <stdio.h>

static const char* text(const char* s) { return s ? s : "(null)"; }

int main(void) {
  hsa_status_t init = hsa_init();
  printf("hsa_init: 0x%x\n", (unsigned)init);

  const hsa_status_t codes[] = {HSA_STATUS_SUCCESS, HSA_STATUS_ERROR, HSA_STATUS_ERROR_INVALID_ARGUMENT,
                                HSA_STATUS_ERROR_NOT_INITIALIZED, init};
  for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    const char* description = NULL;
    hsa_status_t s = hsa_status_string(codes[i], &description);
    printf("hsa_status_string(0x%x): 0x%x \"%s\"\n", (unsigned)codes[i], (unsigned)s, text(description));
  }
  /* An unknown status: whatever the library does with the program's pointer shows. */
  const char* kept = "the program's own string";
  hsa_status_t unknown = hsa_status_string((hsa_status_t)0x7fffff, &kept);
  printf("hsa_status_string(unknown): 0x%x \"%s\"\n", (unsigned)unknown, text(kept));
  printf("hsa_status_string(NULL result): 0x%x\n", (unsigned)hsa_status_string(HSA_STATUS_ERROR, NULL));

  bool supported = true;
  hsa_status_t ext = hsa_system_extension_supported(HSA_EXTENSION_IMAGES, 1, 0, &supported);
  printf("hsa_system_extension_supported: 0x%x supported=%d\n", (unsigned)ext, (int)supported);
  uint16_t minor = 7;
  supported = true;
  ext = hsa_system_major_extension_supported(HSA_EXTENSION_FINALIZER, 1, &minor, &supported);
  printf("hsa_system_major_extension_supported: 0x%x minor=%u supported=%d\n", (unsigned)ext, (unsigned)minor,
         (int)supported);

  const char* name = NULL;
  hsa_status_t named = hsa_extension_get_name(HSA_EXTENSION_IMAGES, &name);
  printf("hsa_extension_get_name: 0x%x \"%s\"\n", (unsigned)named, text(name));
  printf("hsa_shut_down: 0x%x\n", (unsigned)hsa_shut_down());
  return 0;
}
