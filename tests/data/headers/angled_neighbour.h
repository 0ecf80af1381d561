/* Includes a neighbour with <angled> brackets: needs -I for its own folder. */
#include <empty.h>
int an_function(int x);
