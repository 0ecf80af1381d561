/* comment: cafÃ© â€” naÃ¯ve */
int utf8_ok(int x);
/* bad bytes: ÿş */
int latin(int y);
