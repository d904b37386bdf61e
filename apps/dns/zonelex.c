/* The tokenizer for RFC 1035 section 5.1 master files: words, quoted
 * strings, comments, and parentheses that let one record span lines. */
#include <stdio.h>

#include "dns.h"

void lex_init(struct lexer *lx, const char *text, size_t len, char *err, size_t errlen)
{
    lx->p = text;
    lx->end = text + len;
    lx->line = 1;
    lx->paren_line = 0;
    lx->line_start = true;
    lx->err = err;
    lx->errlen = errlen;
}

static struct token error(struct lexer *lx, const char *why)
{
    snprintf(lx->err, lx->errlen, "%s", why);
    struct token t = {.kind = TOK_ERROR, .line = lx->line};
    return t;
}

static bool ends_word(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '(' || c == ')' ||
           c == '"';
}

/* The next token. Inside parentheses a line end is only white space
 * (RFC 1035 section 5.1: "Parentheses are used to group data that crosses
 * a line boundary"). Escapes are left in the token for the consumer, which
 * knows whether "\." separates labels or not. */
struct token lex_next(struct lexer *lx)
{
    for (;;) {
        if (lx->p == lx->end) {
            if (lx->paren_line) {
                char why[64];
                snprintf(why, sizeof(why), "'(' opened at line %u is never closed", lx->paren_line);
                return error(lx, why);
            }
            struct token t = {.kind = TOK_EOF, .line = lx->line};
            return t;
        }
        char c = *lx->p;
        if (c == '\n') {
            struct token t = {.kind = TOK_EOL, .line = lx->line};
            lx->p++;
            lx->line++;
            lx->line_start = true;
            if (lx->paren_line)
                continue;
            return t;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            lx->p++;
            lx->line_start = false;
            continue;
        }
        if (c == ';') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
            continue;
        }
        if (c == '\0')
            return error(lx, "NUL byte in zone text");
        if (c == '(') {
            if (lx->paren_line)
                return error(lx, "nested '('");
            lx->paren_line = lx->line;
            lx->p++;
            lx->line_start = false;
            continue;
        }
        if (c == ')') {
            if (!lx->paren_line)
                return error(lx, "')' without '('");
            lx->paren_line = 0;
            lx->p++;
            lx->line_start = false;
            continue;
        }
        struct token t = {.line = lx->line};
        if (c == '"') {
            const char *s = ++lx->p;
            while (lx->p < lx->end && *lx->p != '"') {
                if (*lx->p == '\n' || *lx->p == '\0')
                    break;
                if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] != '\n')
                    lx->p++;
                lx->p++;
            }
            if (lx->p == lx->end || *lx->p != '"')
                return error(lx, "unterminated quoted string");
            t.kind = TOK_QUOTED;
            t.text = s;
            t.len = (size_t)(lx->p - s);
            lx->p++;
            lx->line_start = false;
            return t;
        }
        t.kind = TOK_WORD;
        t.text = lx->p;
        t.at_line_start = lx->line_start && !lx->paren_line;
        while (lx->p < lx->end && !ends_word(*lx->p)) {
            if (*lx->p == '\0')
                return error(lx, "NUL byte in zone text");
            if (*lx->p == '\\') {
                if (lx->p + 1 >= lx->end || lx->p[1] == '\n')
                    return error(lx, "backslash at the end of a line");
                lx->p++;
            }
            lx->p++;
        }
        t.len = (size_t)(lx->p - t.text);
        lx->line_start = false;
        return t;
    }
}

/* Decodes "\X" and "\DDD" (RFC 1035 section 5.1) into out. Returns the
 * decoded length, or -1 with *why set. */
int escape_decode(const char *s, size_t n, size_t *i, const char **why)
{
    /* RFC 1035 section 5.1: \X is X itself, \DDD the octet with decimal value DDD. */
    if (*i + 1 >= n) {
        *why = "lone backslash";
        return -1;
    }
    const char *d = s + *i + 1;
    if (d[0] < '0' || d[0] > '9') {
        *i += 1;
        return (unsigned char)d[0];
    }
    if (*i + 3 >= n || d[1] < '0' || d[1] > '9' || d[2] < '0' || d[2] > '9') {
        *why = "\\DDD escape needs three digits";
        return -1;
    }
    int c = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
    if (c > 255) {
        *why = "\\DDD escape above 255";
        return -1;
    }
    *i += 3;
    return c;
}

int text_unescape(const char *s, size_t n, uint8_t *out, size_t cap, const char **why)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '\\' && (c = escape_decode(s, n, &i, why)) < 0)
            return -1;
        if (o >= cap) {
            *why = "text too long";
            return -1;
        }
        out[o++] = (uint8_t)c;
    }
    return (int)o;
}
