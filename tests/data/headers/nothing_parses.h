}}} @@@ ;;;
#error this header cannot be used
