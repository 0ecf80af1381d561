/* Stands for the C library's stdio.h beside an umbrella header: never part of the API. */
int fake_getline(char **restrict line, unsigned long *restrict n);
