# The review, as a person decided it after `remora explain` (the studio does the same
# interactively). *_pos is one size_t the call reads and advances, not an array;
# `in` is the in_size bytes to read.
(.functions[].params[] | select(.name == "in_pos" or .name == "out_pos"))
  |= (.direction = "inout" | .kind = "element" | del(.size, .size_unit) | .status = "edited" | .confidence = 1)
| (.functions[] | select(any(.params[]; .name == "in_size")) | .params[] | select(.name == "in"))
  |= (.direction = "in" | .kind = "buffer" | .size = "in_size" | .size_unit = "bytes" | .status = "edited" | .confidence = 1)
# memlimit is read (the limit) and written (the limit needed, on LZMA_MEMLIMIT_ERROR);
# allocator may be NULL ("NULL to use malloc() and free()", base.h).
| (.functions[].params[] | select(.name == "memlimit" and .kind == "element"))
  |= (.direction = "inout" | .status = "edited" | .confidence = 1)
| (.functions[].params[] | select(.name == "allocator"))
  |= (.nullable = true | .status = "edited" | .confidence = 1)
