# A real third-party program for the expat stack: Debian's CPython, whose pyexpat module
# (built into /usr/bin/python3) links libexpat.so.1. Parses through pyexpat directly,
# ElementTree (its C accelerator drives expat through pyexpat's C API) and SAX; prints what
# each saw, so native and remoted runs can be compared line for line. minidom's builder
# and the handlers below call expat from inside its handlers (XML_StopParser, new
# handlers, the count of specified attributes, the current position): the stack serves
# those calls while XML_Parse waits for the handler (codegen/README.md, Callbacks).
# plistlib and ParseFile fill the buffer expat lends (XML_GetBuffer) before parsing it.
import io
import plistlib
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
import xml.dom.minidom
import xml.sax

print("expat", expat.EXPAT_VERSION, expat.version_info)
print("features", sorted(expat.features))

doc = ["<?xml version='1.0' encoding='UTF-8'?>", "<library name='town' xmlns:x='urn:x'>"]
for i in range(300):
    doc.append(f"<book id='{i}' x:lang='{'en' if i % 2 else 'fr'}'><title>Book &amp; tale {i}</title>"
               f"<!-- shelf {i % 7} --><?stamp {i}?><price cur='EUR'>{i * 3}.{i % 100:02d}</price></book>")
doc.append("</library>")
text = "\n".join(doc).encode("utf-8")

events = []
p = expat.ParserCreate(namespace_separator="|")
p.StartElementHandler = lambda name, attrs: events.append(("start", name, tuple(sorted(attrs.items()))))
p.EndElementHandler = lambda name: events.append(("end", name))
p.CharacterDataHandler = lambda data: events.append(("text", data))
p.CommentHandler = lambda data: events.append(("comment", data))
p.ProcessingInstructionHandler = lambda target, data: events.append(("pi", target, data))
p.buffer_text = True
for start in range(0, len(text), 977):
    p.Parse(text[start:start + 977], start + 977 >= len(text))
print("pyexpat events", len(events), "first", events[:4], "last", events[-2:])
print("pyexpat position", p.CurrentLineNumber, p.CurrentColumnNumber)

root = ET.fromstring(text)
books = root.findall("book")
print("etree", root.tag, root.attrib, len(books), books[7].find("title").text, books[7].attrib)
print("etree total", sum(float(b.find("price").text) for b in books))
print("iterparse", sum(1 for _ in ET.iterparse(io.BytesIO(text), events=("start", "end"))))


class Counter(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.elements = 0
        self.chars = 0

    def startElement(self, name, attrs):
        self.elements += 1

    def characters(self, content):
        self.chars += len(content)


counter = Counter()
xml.sax.parseString(text, counter)
print("sax", counter.elements, counter.chars)

dom = xml.dom.minidom.parseString(text)
titles = dom.getElementsByTagName("title")
print("minidom", dom.documentElement.tagName, dom.documentElement.getAttribute("name"), len(titles),
      titles[5].firstChild.data, dom.getElementsByTagName("price")[9].getAttribute("cur"))
print("minidom fragment", xml.dom.minidom.parseString("<a><b c='1'>x<!--y--></b></a>").toxml())

positions = []
q = expat.ParserCreate()
q.StartElementHandler = lambda name, attrs: positions.append(
    (name, q.CurrentLineNumber, q.CurrentColumnNumber, q.CurrentByteIndex))
q.Parse(text, True)
print("positions in handlers", len(positions), positions[:3], positions[-2:])

# A handler that raises: pyexpat stops the parser from inside it (XML_StopParser) and the
# exception reaches the program.
seen = []


def stop_at_fifth(name, attrs):
    seen.append(name)
    if len(seen) == 5:
        raise ValueError("enough")


r = expat.ParserCreate()
r.StartElementHandler = stop_at_fifth
try:
    r.Parse(text, True)
except ValueError as e:
    print("stopped by a handler:", e, len(seen), seen)

# plistlib parses through pyexpat's ParseFile: the program reads each piece of the file
# into the buffer XML_GetBuffer lends, then calls XML_ParseBuffer.
catalogue = {"name": "town", "open": True,
             "books": [{"id": i, "title": f"Book {i}", "price": i * 3.5} for i in range(200)]}
data = plistlib.dumps(catalogue)
back = plistlib.loads(data)
print("plistlib", len(data), back == catalogue, back["books"][7])
counted = []
f = expat.ParserCreate()
f.StartElementHandler = lambda name, attrs: counted.append(name)
f.ParseFile(io.BytesIO(text))
print("ParseFile", len(counted), counted[:3], counted[-1])

for bad in (b"<a><b></a>", b"<a x='1' x='2'/>", b"<a>&undefined;</a>"):
    try:
        ET.fromstring(bad)
    except ET.ParseError as e:
        print("error", e.code, e.position, e)
print("python expat: done")
