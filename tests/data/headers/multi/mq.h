/* Umbrella header of the mq test API: declares nothing itself. */
#include <string.h>
#include "mq_core.h"
#include "mq_extra.h"
