/* The libos API beyond POSIX: the few calls an app may want that POSIX has
 * no word for. Error contract: functions that can fail return -1 and set
 * errno; functions marked noreturn end the VM. */
#ifndef LIBOS_LIBOS_H_PUBLIC
#define LIBOS_LIBOS_H_PUBLIC

/* Print "panic: <message>", the calling thread and a symbolised backtrace
 * on the console, then end the VM with exit status 120. For broken
 * invariants; an app's ordinary errors should use exit(). */
void libos_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
