/* An XML program of our own for the expat stack's end-to-end test: the handler idioms of
 * expat.h that the stack must follow. Handlers are registered on the parser without user
 * data and receive the one XML_SetUserData gave it (before or after they were set); start
 * handlers get a NULL-terminated array of attribute strings; character data is text with
 * its length, not NUL-terminated. Several parsers live at once, a handler is removed, the
 * document arrives in uneven pieces, an error is reported with its position, and handlers
 * call the parser that called them (parser d), and input is read into the buffer the parser
 * lends (parser e). */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
  const char *label;
  int depth, elements, attributes, chars, comments, pis;
  unsigned long checksum;
};

static void mix(struct counts *c, const char *s, int n) {
  for (int i = 0; i < n; ++i) c->checksum = c->checksum * 31u + (unsigned char)s[i];
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  struct counts *c = ud;
  c->elements++;
  mix(c, name, (int)strlen(name));
  for (int i = 0; atts[i]; i += 2) {
    c->attributes++;
    mix(c, atts[i], (int)strlen(atts[i]));
    mix(c, atts[i + 1], (int)strlen(atts[i + 1]));
  }
  if (c->elements <= 3) {
    printf("%s: %*s<%s", c->label, c->depth * 2, "", name);
    for (int i = 0; atts[i]; i += 2) printf(" %s='%s'", atts[i], atts[i + 1]);
    printf(">\n");
  }
  c->depth++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  struct counts *c = ud;
  c->depth--;
  mix(c, name, (int)strlen(name));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  struct counts *c = ud;
  c->chars += len;
  mix(c, s, len);
}

static void XMLCALL on_comment(void *ud, const XML_Char *data) {
  struct counts *c = ud;
  c->comments++;
  mix(c, data, (int)strlen(data));
}

static void XMLCALL on_pi(void *ud, const XML_Char *target, const XML_Char *data) {
  struct counts *c = ud;
  c->pis++;
  mix(c, target, (int)strlen(target));
  mix(c, data, (int)strlen(data));
}

/* The program's allocator for parser c: through the stack the library's memory lives on
 * the server, which uses its own; natively these count. Only the parse results are printed. */
static size_t allocations;
static void *counting_malloc(size_t n) { ++allocations; return malloc(n); }
static void *counting_realloc(void *p, size_t n) { ++allocations; return realloc(p, n); }
static void counting_free(void *p) { free(p); }

/* Registered on every parser, as programs that accept any encoding do; the documents here
 * are UTF-8, so the library never calls it (through the stack its `XML_Encoding *` could not
 * reach the program: the worker would refuse when called). */
static int XMLCALL on_unknown_encoding(void *data, const XML_Char *name, XML_Encoding *info) {
  (void)data;
  (void)name;
  (void)info;
  return XML_STATUS_ERROR;
}

/* Parser d's handlers steer it from inside the parse, as DOM builders do: each asks where
 * the parser is and how many attributes the document gave, the text handler is removed
 * after the third element, and the tenth stops the parse. Through the stack these calls
 * must be served while the library waits in XML_Parse, not after it returned. */
struct steer {
  XML_Parser parser;
  int elements, texts;
  unsigned long positions;
};

static void XMLCALL steer_text(void *ud, const XML_Char *s, int len) {
  (void)s;
  (void)len;
  ((struct steer *)ud)->texts++;
}

static void XMLCALL steer_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  (void)atts;
  struct steer *st = ud;
  st->elements++;
  unsigned long line = XML_GetCurrentLineNumber(st->parser), column = XML_GetCurrentColumnNumber(st->parser);
  st->positions = st->positions * 131u + line * 1000u + column;
  if (st->elements <= 4)
    printf("d: <%s> at line %lu column %lu byte %ld, %d specified attribute values\n", name, line, column,
           (long)XML_GetCurrentByteIndex(st->parser), XML_GetSpecifiedAttributeCount(st->parser));
  if (st->elements == 3) XML_SetCharacterDataHandler(st->parser, NULL);
  if (st->elements == 10) XML_StopParser(st->parser, XML_FALSE);
}

/* A document of n records with attributes, entities, comments and instructions. */
static char *make_document(int n, size_t *size) {
  size_t cap = 256 + (size_t)n * 200, len = 0;
  char *doc = malloc(cap);
  len += (size_t)sprintf(doc + len, "<?xml version='1.0' encoding='UTF-8'?>\n<catalog version='2' lang=\"en\">\n");
  for (int i = 0; i < n; ++i) {
    len += (size_t)sprintf(doc + len,
                           "  <item id='%d' kind='%s'><name>Item &amp; number %d</name><!-- c%d -->"
                           "<?mark %d?><price cur='EUR'>%d.%02d</price><empty/></item>\n",
                           i, i % 3 ? "plain" : "special", i, i, i, i * 7, i % 100);
  }
  len += (size_t)sprintf(doc + len, "</catalog>\n");
  *size = len;
  return doc;
}

static void report(const struct counts *c) {
  printf("%s: elements %d attributes %d chars %d comments %d pis %d depth %d checksum %lu\n", c->label, c->elements,
         c->attributes, c->chars, c->comments, c->pis, c->depth, c->checksum);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 500;
  size_t size = 0;
  char *doc = make_document(n, &size);
  struct counts a = {.label = "a"}, b = {.label = "b"};

  /* Parser a: handlers first, user data after; fed in uneven pieces. */
  XML_Parser pa = XML_ParserCreate(NULL);
  XML_SetUnknownEncodingHandler(pa, on_unknown_encoding, NULL);
  XML_SetElementHandler(pa, on_start, on_end);
  XML_SetCharacterDataHandler(pa, on_text);
  XML_SetCommentHandler(pa, on_comment);
  XML_SetProcessingInstructionHandler(pa, on_pi);
  XML_SetUserData(pa, &a);
  /* Parser b, alive at the same time: user data first, no comment handler, and its
   * instruction handler removed again (NULL). */
  XML_Parser pb = XML_ParserCreate("UTF-8");
  XML_SetUserData(pb, &b);
  XML_SetStartElementHandler(pb, on_start);
  XML_SetEndElementHandler(pb, on_end);
  XML_SetCharacterDataHandler(pb, on_text);
  XML_SetProcessingInstructionHandler(pb, on_pi);
  XML_SetProcessingInstructionHandler(pb, NULL);
  size_t at = 0, piece = 1;
  while (at < size) {
    size_t take = piece < size - at ? piece : size - at;
    if (XML_Parse(pa, doc + at, (int)take, at + take == size) == XML_STATUS_ERROR) {
      printf("a: error %s\n", XML_ErrorString(XML_GetErrorCode(pa)));
      return 1;
    }
    if (XML_Parse(pb, doc + at, (int)take, at + take == size) == XML_STATUS_ERROR) {
      printf("b: error %s\n", XML_ErrorString(XML_GetErrorCode(pb)));
      return 1;
    }
    at += take;
    piece = piece * 3 + 7;
  }
  report(&a);
  report(&b);
  XML_ParserFree(pa);
  XML_ParserFree(pb);

  /* A new parser (perhaps where a freed one was) starts with none of their handlers. */
  struct counts c = {.label = "c"};
  const XML_Memory_Handling_Suite suite = {counting_malloc, counting_realloc, counting_free};
  XML_Parser pc = XML_ParserCreate_MM(NULL, &suite, NULL);
  if (!pc) {
    printf("c: XML_ParserCreate_MM failed\n");
    return 1;
  }
  XML_SetUserData(pc, &c);
  XML_SetStartElementHandler(pc, on_start);
  const char *bad = "<root>\n  <open attr='x'>\n</root>\n";
  if (XML_Parse(pc, bad, (int)strlen(bad), 1) == XML_STATUS_ERROR)
    printf("c: error '%s' at line %lu column %lu\n", XML_ErrorString(XML_GetErrorCode(pc)),
           (unsigned long)XML_GetCurrentLineNumber(pc), (unsigned long)XML_GetCurrentColumnNumber(pc));
  report(&c);
  XML_ParserFree(pc);

  struct steer d = {0};
  d.parser = XML_ParserCreate(NULL);
  XML_SetUserData(d.parser, &d);
  XML_SetStartElementHandler(d.parser, steer_start);
  XML_SetCharacterDataHandler(d.parser, steer_text);
  const enum XML_Status status = XML_Parse(d.parser, doc, (int)size, 1);
  printf("d: status %d, error '%s', %d elements, %d texts, positions %lu\n", (int)status,
         XML_ErrorString(XML_GetErrorCode(d.parser)), d.elements, d.texts, d.positions);
  XML_ParserFree(d.parser);

  /* Parser e reads its input into the buffer the parser lends (XML_GetBuffer), in pieces
   * of uneven sizes, then parses it in place (XML_ParseBuffer). */
  struct counts e = {.label = "e"};
  XML_Parser pe = XML_ParserCreate(NULL);
  XML_SetUserData(pe, &e);
  XML_SetElementHandler(pe, on_start, on_end);
  XML_SetCharacterDataHandler(pe, on_text);
  for (size_t at = 0, piece = 1000; at < size; piece = piece % 3000 + 777) {
    size_t take = piece < size - at ? piece : size - at;
    void *buffer = XML_GetBuffer(pe, (int)take);
    if (!buffer) {
      printf("e: XML_GetBuffer failed\n");
      return 1;
    }
    memcpy(buffer, doc + at, take);
    at += take;
    if (XML_ParseBuffer(pe, (int)take, at == size) == XML_STATUS_ERROR) {
      printf("e: error %s\n", XML_ErrorString(XML_GetErrorCode(pe)));
      return 1;
    }
  }
  report(&e);
  XML_ParserFree(pe);
  free(doc);
  printf("expat handlers: done\n");
  return 0;
}
