/* Prototypes that use types nothing declares (a -I or -D is missing). */
int ut_fine(int x, const char *name);

int ut_uses_unknown(widget_t *widget, int count);

typedef gadget_t ut_gadget;
int ut_uses_bad_typedef(ut_gadget gadget, int *out);

double ut_also_fine(double y);
