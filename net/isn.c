/* TCP initial sequence numbers per RFC 6528: ISN = M + F(4-tuple, secret),
 * M a clock ticking every 4 microseconds and F SipHash-2-4 keyed with 128
 * random bits drawn at first use. lwIP's own choice is a counter (6510 plus
 * timer ticks), which lets an off-path attacker guess the next ISN. */
#include <string.h>

#include "kernel.h"
#include "lwip_hooks.h"

static uint64_t key[2];
static int keyed;

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
    v[0] += v[1], v[1] = ROTL(v[1], 13), v[1] ^= v[0], v[0] = ROTL(v[0], 32);
    v[2] += v[3], v[3] = ROTL(v[3], 16), v[3] ^= v[2];
    v[0] += v[3], v[3] = ROTL(v[3], 21), v[3] ^= v[0];
    v[2] += v[1], v[1] = ROTL(v[1], 17), v[1] ^= v[2], v[2] = ROTL(v[2], 32);
}

/* SipHash-2-4 (Aumasson and Bernstein) of len bytes, len a multiple of 8. */
static uint64_t siphash(const uint8_t *in, size_t len)
{
    uint64_t v[4] = {key[0] ^ 0x736f6d6570736575ull, key[1] ^ 0x646f72616e646f6dull,
                     key[0] ^ 0x6c7967656e657261ull, key[1] ^ 0x7465646279746573ull};
    for (size_t i = 0; i < len; i += 8) {
        uint64_t m;
        memcpy(&m, in + i, 8);
        v[3] ^= m;
        sip_round(v), sip_round(v);
        v[0] ^= m;
    }
    uint64_t b = (uint64_t)len << 56; /* the final block holds only the length */
    v[3] ^= b;
    sip_round(v), sip_round(v);
    v[0] ^= b;
    v[2] ^= 0xff;
    sip_round(v), sip_round(v), sip_round(v), sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

u32_t lwip_port_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
                        u16_t remote_port)
{
    if (!keyed) {
        key[0] = entropy_u64();
        key[1] = entropy_u64();
        keyed = 1;
    }
    uint8_t tuple[2 * sizeof(ip_addr_t) + 8] = {0};
    size_t n = 0;
    memcpy(tuple + n, local_ip, sizeof(*local_ip)), n += sizeof(*local_ip);
    memcpy(tuple + n, remote_ip, sizeof(*remote_ip)), n += sizeof(*remote_ip);
    memcpy(tuple + n, &local_port, 2), n += 2;
    memcpy(tuple + n, &remote_port, 2), n += 2;
    n = (n + 7) & ~(size_t)7;
    return (u32_t)(clock_ns() / 4000) + (u32_t)siphash(tuple, n);
}
