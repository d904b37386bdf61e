/* The TSC rate from CPUID, so boot need not time it: the hypervisor timing
 * leaf 0x40000010 (KVM, VMware, QEMU with invtsc) or Intel's leaf 0x15. */
#include "arch.h"
#include "cpu.h"

uint64_t tsc_hz_from_cpuid(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (r[2] & (1u << 31)) { /* running under a hypervisor */
        cpuid(0x40000000, 0, r);
        if (r[0] >= 0x40000010) {
            cpuid(0x40000010, 0, r);
            if (r[0])
                return (uint64_t)r[0] * 1000; /* kHz */
        }
    }
    cpuid(0, 0, r);
    if (r[0] >= 0x15) {
        cpuid(0x15, 0, r); /* TSC = crystal * ebx / eax */
        if (r[0] && r[1] && r[2])
            return (uint64_t)r[2] * r[1] / r[0];
    }
    return 0;
}
