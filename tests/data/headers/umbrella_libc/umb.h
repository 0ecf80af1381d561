/* An umbrella header in a folder it shares with the C library's headers (as z3.h in
   /usr/include): it declares nothing itself, and only umb_api.h is its API. */
#include "stdio.h"
#include "umb_api.h"
