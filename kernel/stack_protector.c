/* The stack protector's canary and its failure path. Code is compiled with
 * -fstack-protector-strong; the canary is set from the kernel's entropy
 * (entropy.c: RDSEED or RDRAND) before any protected function returns
 * (main.c does it first), and a smashed canary ends the VM with its own
 * status. This function must not itself carry a canary: it has no arrays
 * and takes no local's address. */
#include "kernel.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull; /* replaced at boot */

void stack_protector_init(void)
{
    uintptr_t c = (uintptr_t)entropy_u64();
    c &= ~(uintptr_t)0xff; /* a zero low byte stops string overflows reading it out */
    __stack_chk_guard = c;
}

/* Called by gcc's canary check, which declares it itself. */
void __stack_chk_fail(void) __attribute__((noreturn));
void __stack_chk_fail(void)
{
    kprintf("\nstack smashing detected: a function's stack canary was overwritten\n");
    backtrace_print(((uint64_t *)__builtin_frame_address(0))[0],
                    (uint64_t)(uintptr_t)__builtin_return_address(0) - 1);
    kernel_exit(EXIT_STACK_SMASH);
}
