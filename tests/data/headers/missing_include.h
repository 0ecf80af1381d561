#include "does_not_exist_anywhere.h"
int after_missing(int x);
