/* Clocks and timers. Monotonic time is the TSC scaled to nanoseconds (its
 * rate from CPUID, else a short PIT window); wall time is the CMOS RTC read
 * at boot plus monotonic time since. Timer interrupts are one-shot, armed
 * for the earliest deadline only: no periodic tick. */
#include "cpu.h"
#include "thread.h"

static uint64_t tsc_boot, tsc_hz, ns_mult; /* ns = (ticks * ns_mult) >> 32 */
static int64_t wall_at_boot_ns;
static struct timerq timers;
/* When the PIT will next interrupt (UINT64_MAX: not armed). Reprogramming
 * it is a slow port write, so it is done only to bring that time forward;
 * an interrupt that comes too early just finds nothing due and re-arms. */
static uint64_t pit_due = UINT64_MAX;

uint64_t clock_ns(void)
{
    return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_boot) * ns_mult) >> 32);
}

int64_t clock_wall_ns(void)
{
    return wall_at_boot_ns + (int64_t)clock_ns();
}

/* Program the PIT for the earliest deadline (interrupts off). */
static void rearm(void)
{
    uint64_t next = timerq_next_deadline(&timers);
    if (next >= pit_due)
        return;
    uint64_t now = clock_ns();
    uint64_t ns = next > now ? next - now : 1000;
    if (ns > PIT_MAX_NS)
        ns = PIT_MAX_NS;
    pit_due = now + ns;
    pit_oneshot_ns(ns);
}

static void timer_irq(void *ctx)
{
    (void)ctx;
    pit_due = UINT64_MAX;
    uint64_t now = clock_ns();
    struct timer *t;
    while ((t = timerq_pop_expired(&timers, now))) {
        struct thread *th = t->owner;
        th->timed_out = 1;
        sched_wake(th);
    }
    rearm();
}

void timers_arm(struct timer *t, uint64_t deadline_ns)
{
    uint64_t flags = irq_save();
    timerq_add(&timers, t, deadline_ns);
    if (timers.head == t)
        rearm();
    irq_restore(flags);
}

void timers_cancel(struct timer *t)
{
    uint64_t flags = irq_save();
    timerq_remove(&timers, t);
    irq_restore(flags);
}

void sleep_until(uint64_t deadline_ns)
{
    uint64_t flags = irq_save();
    struct thread *t = thread_current();
    while (clock_ns() < deadline_ns) {
        t->state = T_BLOCKED;
        t->waiting = NULL;
        timers_arm(&t->timer, deadline_ns);
        schedule();
    }
    irq_restore(flags);
}

void clock_init(uint64_t boot_tsc)
{
    tsc_boot = boot_tsc;
    tsc_hz = tsc_hz_from_cpuid();
    if (!tsc_hz)
        tsc_hz = pit_measure_tsc_hz(TSC_CALIBRATION_MS);
    if (!tsc_hz)
        panic("clock: cannot measure the TSC rate");
    ns_mult = (uint64_t)(((unsigned __int128)1000000000u << 32) / tsc_hz);
    int64_t rtc = rtc_read_epoch();
    wall_at_boot_ns = (rtc < 0 ? 0 : rtc * 1000000000ll) - (int64_t)clock_ns();
    irq_register(0, timer_irq, NULL);
}
