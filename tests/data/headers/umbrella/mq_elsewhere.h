/* A program's own umbrella in another folder: which of what it includes is the
   API must be said with --api-dir / --api-glob. */
#include <stdio.h>
#include "../multi/mq_core.h"
#include "../multi/mq_extra.h"
