/* resolve: looks up each name in argv with getaddrinfo and prints the
 * result, so a boot test can watch the DNS queries the image sends. */
#include <netdb.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct addrinfo hints = {.ai_family = 0, .ai_socktype = 0}, *res = NULL;
        int r = getaddrinfo(argv[i], NULL, &hints, &res);
        printf("resolve: %s: %s\n", argv[i], r ? gai_strerror(r) : "found");
        if (!r)
            freeaddrinfo(res);
    }
    return 0;
}
