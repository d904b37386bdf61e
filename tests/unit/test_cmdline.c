/* Unit tests for kernel/cmdline.c: splitting the loader's command line into
 * kernel options and the application's argv. */
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "suites.h"

/* The parsed result lives in static storage: struct cmdline is ~2 KiB. */
static struct cmdline cl;

static int parse(const char *text)
{
    return cmdline_parse(&cl, text, "prog");
}

/* Every pointer handed out must point into cl.buf at a string that ends
 * inside cl.buf: the parser may truncate, never overflow. */
static void assert_inside_buf(const char *s)
{
    ck_assert_ptr_nonnull(s);
    ck_assert(s >= cl.buf && s < cl.buf + sizeof(cl.buf));
    ck_assert_ptr_nonnull(memchr(s, '\0', (size_t)(cl.buf + sizeof(cl.buf) - s)));
}

static void assert_well_formed(void)
{
    ck_assert_int_ge(cl.argc, 1);
    ck_assert_int_le(cl.argc, MAX_ARGS);
    ck_assert_int_ge(cl.n_opts, 0);
    ck_assert_int_le(cl.n_opts, MAX_ARGS);
    for (int i = 0; i < cl.argc; i++)
        assert_inside_buf(cl.argv[i]);
    ck_assert_ptr_null(cl.argv[cl.argc]);
    for (int i = 0; i < cl.n_opts; i++)
        assert_inside_buf(cl.opts[i]);
}

START_TEST(split_at_first_dashdash)
{
    ck_assert_int_eq(parse("quiet ip=10.0.0.2 -- serve --port 53"), 0);
    assert_well_formed();
    ck_assert_int_eq(cl.n_opts, 2);
    ck_assert_str_eq(cl.opts[0], "quiet");
    ck_assert_str_eq(cl.opts[1], "ip=10.0.0.2");
    ck_assert_int_eq(cl.argc, 4);
    ck_assert_str_eq(cl.argv[0], "prog");
    ck_assert_str_eq(cl.argv[1], "serve");
    ck_assert_str_eq(cl.argv[2], "--port");
    ck_assert_str_eq(cl.argv[3], "53");
    ck_assert_ptr_null(cl.argv[4]);
}
END_TEST

START_TEST(argv0_is_program_name)
{
    ck_assert_int_eq(cmdline_parse(&cl, "-- a", "dns-server"), 0);
    ck_assert_int_eq(cl.argc, 2);
    ck_assert_str_eq(cl.argv[0], "dns-server");
    ck_assert_str_eq(cl.argv[1], "a");
}
END_TEST

START_TEST(no_dashdash_means_no_args)
{
    ck_assert_int_eq(parse("quiet debug=2 -x"), 0);
    assert_well_formed();
    ck_assert_int_eq(cl.n_opts, 3);
    ck_assert_str_eq(cl.opts[2], "-x");
    ck_assert_int_eq(cl.argc, 1);
    ck_assert_str_eq(cl.argv[0], "prog");
    ck_assert_ptr_null(cl.argv[1]);
}
END_TEST

START_TEST(dashdash_at_either_end)
{
    parse("-- a b");
    ck_assert_int_eq(cl.n_opts, 0);
    ck_assert_int_eq(cl.argc, 3);
    ck_assert_str_eq(cl.argv[2], "b");

    parse("a b --");
    ck_assert_int_eq(cl.n_opts, 2);
    ck_assert_int_eq(cl.argc, 1);
    ck_assert_ptr_null(cl.argv[1]);
}
END_TEST

START_TEST(only_a_bare_dashdash_splits)
{
    /* "--x" and "---" are ordinary words, not the separator. */
    parse("--x --- -- ---");
    ck_assert_int_eq(cl.n_opts, 2);
    ck_assert_str_eq(cl.opts[0], "--x");
    ck_assert_str_eq(cl.opts[1], "---");
    ck_assert_int_eq(cl.argc, 2);
    ck_assert_str_eq(cl.argv[1], "---");
}
END_TEST

START_TEST(second_dashdash_is_an_arg)
{
    parse("opt -- a -- b");
    assert_well_formed();
    ck_assert_int_eq(cl.n_opts, 1);
    ck_assert_int_eq(cl.argc, 4);
    ck_assert_str_eq(cl.argv[1], "a");
    ck_assert_str_eq(cl.argv[2], "--");
    ck_assert_str_eq(cl.argv[3], "b");
}
END_TEST

START_TEST(quotes_group_words)
{
    parse("msg=\"hello world\" -- \"a b\" c x\"y z\"w \"\"");
    assert_well_formed();
    ck_assert_int_eq(cl.n_opts, 1);
    ck_assert_str_eq(cl.opts[0], "msg=hello world");
    ck_assert_int_eq(cl.argc, 5);
    ck_assert_str_eq(cl.argv[1], "a b");
    ck_assert_str_eq(cl.argv[2], "c");
    ck_assert_str_eq(cl.argv[3], "xy zw");
    ck_assert_str_eq(cl.argv[4], ""); /* "" is an empty word, not nothing */
}
END_TEST

START_TEST(quotes_keep_tabs_and_newlines)
{
    parse("-- \"a\tb\nc\"");
    ck_assert_int_eq(cl.argc, 2);
    ck_assert_str_eq(cl.argv[1], "a\tb\nc");
}
END_TEST

START_TEST(unterminated_quote_runs_to_end)
{
    parse("-- \"a b c");
    assert_well_formed();
    ck_assert_int_eq(cl.argc, 2);
    ck_assert_str_eq(cl.argv[1], "a b c");
}
END_TEST

START_TEST(backslash_escapes)
{
    parse("-- a\\ b c\\\"d \\\\e \"q\\\"r\" end\\");
    assert_well_formed();
    ck_assert_int_eq(cl.argc, 6);
    ck_assert_str_eq(cl.argv[1], "a b");   /* escaped space joins */
    ck_assert_str_eq(cl.argv[2], "c\"d");  /* escaped quote is literal */
    ck_assert_str_eq(cl.argv[3], "\\e");   /* escaped backslash */
    ck_assert_str_eq(cl.argv[4], "q\"r");  /* escape inside quotes */
    ck_assert_str_eq(cl.argv[5], "end\\"); /* a trailing backslash stays */
}
END_TEST

START_TEST(escaped_space_does_not_split)
{
    /* The escaped space keeps "a --" one word, so it is no separator. */
    parse("a\\ -- b");
    ck_assert_int_eq(cl.n_opts, 2);
    ck_assert_str_eq(cl.opts[0], "a --");
    ck_assert_str_eq(cl.opts[1], "b");
    ck_assert_int_eq(cl.argc, 1);
}
END_TEST

START_TEST(extra_whitespace)
{
    ck_assert_int_eq(parse("  \t a \n\n b\t\t--  \n c \t\n"), 0);
    assert_well_formed();
    ck_assert_int_eq(cl.n_opts, 2);
    ck_assert_str_eq(cl.opts[0], "a");
    ck_assert_str_eq(cl.opts[1], "b");
    ck_assert_int_eq(cl.argc, 2);
    ck_assert_str_eq(cl.argv[1], "c");
}
END_TEST

START_TEST(empty_null_and_blank_text)
{
    const char *texts[] = {"", NULL, " \t\n  "};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        memset(&cl, 0x5a, sizeof(cl)); /* no stale state may survive */
        ck_assert_int_eq(parse(texts[i]), 0);
        ck_assert_int_eq(cl.n_opts, 0);
        ck_assert_int_eq(cl.argc, 1);
        ck_assert_str_eq(cl.argv[0], "prog");
        ck_assert_ptr_null(cl.argv[1]);
        ck_assert_ptr_null(cmdline_opt(&cl, "quiet"));
    }
}
END_TEST

START_TEST(reparse_forgets_previous)
{
    parse("a=1 b -- x y z");
    parse("c");
    ck_assert_int_eq(cl.n_opts, 1);
    ck_assert_int_eq(cl.argc, 1);
    ck_assert_ptr_null(cl.argv[1]);
    ck_assert_ptr_null(cmdline_opt(&cl, "a"));
    ck_assert_str_eq(cmdline_opt(&cl, "c"), "");
}
END_TEST

START_TEST(opt_key_value_bare_absent)
{
    parse("ip=10.0.0.2 quiet mtu=1500 k=a=b empty=");
    ck_assert_str_eq(cmdline_opt(&cl, "ip"), "10.0.0.2");
    ck_assert_str_eq(cmdline_opt(&cl, "mtu"), "1500");
    ck_assert_str_eq(cmdline_opt(&cl, "quiet"), "");  /* bare key */
    ck_assert_str_eq(cmdline_opt(&cl, "k"), "a=b");   /* value may hold '=' */
    ck_assert_str_eq(cmdline_opt(&cl, "empty"), "");  /* present, empty value */
    ck_assert_ptr_null(cmdline_opt(&cl, "gw"));       /* absent */
    ck_assert_ptr_null(cmdline_opt(&cl, "10.0.0.2")); /* a value is not a key */
}
END_TEST

START_TEST(opt_last_duplicate_wins)
{
    parse("v=1 x v=2");
    ck_assert_str_eq(cmdline_opt(&cl, "v"), "2");
    parse("v=1 v=2 v");
    ck_assert_str_eq(cmdline_opt(&cl, "v"), "");
    parse("v v=3");
    ck_assert_str_eq(cmdline_opt(&cl, "v"), "3");
}
END_TEST

START_TEST(opt_prefix_not_confused)
{
    parse("ipv6=fe80::1 iptables");
    ck_assert_ptr_null(cmdline_opt(&cl, "ip"));
    ck_assert_str_eq(cmdline_opt(&cl, "ipv6"), "fe80::1");

    parse("ip=10.0.0.2 ipv6=fe80::1");
    ck_assert_str_eq(cmdline_opt(&cl, "ip"), "10.0.0.2"); /* not overridden by ipv6 */
    ck_assert_ptr_null(cmdline_opt(&cl, "ipv"));
    ck_assert_ptr_null(cmdline_opt(&cl, "ipv66"));
}
END_TEST

START_TEST(opt_ignores_args)
{
    parse("a=1 -- b=2 a=3");
    ck_assert_str_eq(cmdline_opt(&cl, "a"), "1");
    ck_assert_ptr_null(cmdline_opt(&cl, "b"));
}
END_TEST

START_TEST(mmio_device_words_are_options_anywhere)
{
    /* QEMU microvm appends its device words after the whole -append text. */
    ck_assert_int_eq(parse("ip=dhcp virtio_mmio.device=512@0xfeb00c00:11 -- a b "
                           "virtio_mmio.device=512@0xfeb00e00:12"),
                     0);
    assert_well_formed();
    ck_assert_int_eq(cl.argc, 3);
    ck_assert_str_eq(cl.argv[1], "a");
    ck_assert_str_eq(cl.argv[2], "b");
    ck_assert_str_eq(cmdline_opt_nth(&cl, "virtio_mmio.device", 0), "512@0xfeb00c00:11");
    ck_assert_str_eq(cmdline_opt_nth(&cl, "virtio_mmio.device", 1), "512@0xfeb00e00:12");
    ck_assert_ptr_null(cmdline_opt_nth(&cl, "virtio_mmio.device", 2));
    ck_assert_str_eq(cmdline_opt_nth(&cl, "ip", 0), "dhcp");
    /* Only the exact prefix: an app's own word that merely resembles one stays. */
    parse("-- virtio_mmio.devicex=1 virtio_mmio.device");
    ck_assert_int_eq(cl.argc, 3);
    ck_assert_int_eq(cl.n_opts, 0);
}
END_TEST

START_TEST(too_many_args_are_counted)
{
    char text[2048];
    int n = 0, words = MAX_ARGS + 36;
    n += snprintf(text + n, sizeof(text) - n, "o --");
    for (int i = 0; i < words; i++)
        n += snprintf(text + n, sizeof(text) - n, " w%d", i);
    ck_assert_int_lt(n, (int)sizeof(text));

    /* argv holds MAX_ARGS entries (argv[0] included) plus the NULL. */
    int dropped = parse(text);
    assert_well_formed();
    ck_assert_int_eq(dropped, words - (MAX_ARGS - 1));
    ck_assert_int_eq(cl.argc, MAX_ARGS);
    ck_assert_str_eq(cl.argv[1], "w0");
    char last[16];
    snprintf(last, sizeof(last), "w%d", MAX_ARGS - 2);
    ck_assert_str_eq(cl.argv[MAX_ARGS - 1], last);
    ck_assert_ptr_null(cl.argv[MAX_ARGS]);
    ck_assert_int_eq(cl.n_opts, 1);
}
END_TEST

START_TEST(too_many_opts_are_counted)
{
    char text[2048];
    int n = 0, words = MAX_ARGS + 10;
    for (int i = 0; i < words; i++)
        n += snprintf(text + n, sizeof(text) - n, "k%d=%d ", i, i);
    n += snprintf(text + n, sizeof(text) - n, "-- a");
    ck_assert_int_lt(n, (int)sizeof(text));

    ck_assert_int_eq(parse(text), 10);
    assert_well_formed();
    ck_assert_int_eq(cl.n_opts, MAX_ARGS);
    ck_assert_str_eq(cmdline_opt(&cl, "k0"), "0");
    char key[16];
    snprintf(key, sizeof(key), "k%d", MAX_ARGS - 1);
    ck_assert_str_eq(cmdline_opt(&cl, key), key + 1);
    snprintf(key, sizeof(key), "k%d", MAX_ARGS);
    ck_assert_ptr_null(cmdline_opt(&cl, key)); /* the first dropped one */
    /* A full option table must not hide the separator. */
    ck_assert_int_eq(cl.argc, 2);
    ck_assert_str_eq(cl.argv[1], "a");
}
END_TEST

START_TEST(long_cmdline_truncated_safely)
{
    /* Twenty 150-byte words: three times what the buffer holds. */
    static char text[3 * CMDLINE_MAX + 1];
    size_t n = 0;
    for (int w = 0; w < 20; w++) {
        memset(text + n, 'a' + w, 150);
        n += 150;
        text[n++] = ' ';
    }
    text[n] = '\0';
    ck_assert_uint_gt(n, CMDLINE_MAX);

    int dropped = parse(text);
    ck_assert_int_ge(dropped, 0);
    assert_well_formed();
    ck_assert_int_ge(cl.n_opts, 1);
    ck_assert_int_lt(cl.n_opts, 20);
    /* The words that fit are intact and in order. */
    for (int i = 0; i + 1 < cl.n_opts; i++) {
        ck_assert_uint_eq(strlen(cl.opts[i]), 150);
        ck_assert_int_eq(cl.opts[i][0], 'a' + i);
        ck_assert_int_eq(cl.opts[i][149], 'a' + i);
    }
    ck_assert_str_eq(cl.argv[0], "prog");
}
END_TEST

START_TEST(longest_boot_cmdline_kept_whole)
{
    /* boot_info hands over at most CMDLINE_MAX - 1 bytes; every word of
     * such a line must reach the application intact, beside main.c's
     * program name "app". */
    char text[CMDLINE_MAX], copy[CMDLINE_MAX];
    size_t n = 0;
    for (int i = 0; i < 8; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "k%d=%0110d ", i, i);
    n += (size_t)snprintf(text + n, sizeof(text) - n, "ip=10.0.0.1");
    memset(text + n, '2', sizeof(text) - 1 - n); /* the last word ends the line */
    text[sizeof(text) - 1] = '\0';
    memcpy(copy, text, sizeof(text));

    ck_assert_int_eq(cmdline_parse(&cl, text, "app"), 0);
    assert_well_formed();
    int i = 0;
    for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "), i++) {
        ck_assert_int_lt(i, cl.n_opts);
        ck_assert_str_eq(cl.opts[i], w);
    }
    ck_assert_int_eq(cl.n_opts, i);
    ck_assert_str_eq(cl.argv[0], "app");
}
END_TEST

START_TEST(one_huge_word_truncated_safely)
{
    static char text[4 * CMDLINE_MAX];
    memcpy(text, "-- ", 3);
    memset(text + 3, 'x', sizeof(text) - 4);
    text[sizeof(text) - 1] = '\0';

    parse(text);
    assert_well_formed();
    ck_assert_int_eq(cl.argc, 2);
    size_t len = strlen(cl.argv[1]);
    ck_assert_uint_gt(len, sizeof(cl.buf) / 2);
    ck_assert_uint_lt(len, sizeof(cl.buf));
    ck_assert_int_eq(cl.argv[1][len - 1], 'x');
}
END_TEST

START_TEST(huge_program_name_truncated_safely)
{
    static char prog[4 * CMDLINE_MAX];
    memset(prog, 'p', sizeof(prog) - 1);
    prog[sizeof(prog) - 1] = '\0';

    ck_assert_int_eq(cmdline_parse(&cl, "quiet -- a b", prog), 0);
    assert_well_formed();
    ck_assert_uint_lt(strlen(cl.argv[0]), sizeof(cl.buf));
    ck_assert_int_eq(cl.argc, 3); /* the args still fit beside it */
    ck_assert_str_eq(cl.argv[2], "b");
    ck_assert_str_eq(cmdline_opt(&cl, "quiet"), "");
}
END_TEST

Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("cmdline");
    tcase_add_test(tc, split_at_first_dashdash);
    tcase_add_test(tc, mmio_device_words_are_options_anywhere);
    tcase_add_test(tc, argv0_is_program_name);
    tcase_add_test(tc, no_dashdash_means_no_args);
    tcase_add_test(tc, dashdash_at_either_end);
    tcase_add_test(tc, only_a_bare_dashdash_splits);
    tcase_add_test(tc, second_dashdash_is_an_arg);
    tcase_add_test(tc, quotes_group_words);
    tcase_add_test(tc, quotes_keep_tabs_and_newlines);
    tcase_add_test(tc, unterminated_quote_runs_to_end);
    tcase_add_test(tc, backslash_escapes);
    tcase_add_test(tc, escaped_space_does_not_split);
    tcase_add_test(tc, extra_whitespace);
    tcase_add_test(tc, empty_null_and_blank_text);
    tcase_add_test(tc, reparse_forgets_previous);
    tcase_add_test(tc, opt_key_value_bare_absent);
    tcase_add_test(tc, opt_last_duplicate_wins);
    tcase_add_test(tc, opt_prefix_not_confused);
    tcase_add_test(tc, opt_ignores_args);
    tcase_add_test(tc, too_many_args_are_counted);
    tcase_add_test(tc, too_many_opts_are_counted);
    tcase_add_test(tc, long_cmdline_truncated_safely);
    tcase_add_test(tc, longest_boot_cmdline_kept_whole);
    tcase_add_test(tc, one_huge_word_truncated_safely);
    tcase_add_test(tc, huge_program_name_truncated_safely);
    suite_add_tcase(s, tc);
    return s;
}
