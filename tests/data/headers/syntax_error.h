int broken(;
struct { int x 
