# Generates the zstd golden vectors of Tests/KafkaRecordsTests/ZstdVectors*.swift (python3 gen.py; needs zstandard).
import sys, struct, zstandard as zstd
import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from payloads import payload, repetitive
from census import census

def comp(p, level, checksum=False, content_size=True, stream=False):
    c = zstd.ZstdCompressor(level=level, write_checksum=checksum, write_content_size=content_size)
    if stream:
        co = c.compressobj(); return co.compress(p) + co.flush()
    return c.compress(p)

def skippable(nibble, data):
    return struct.pack("<II", 0x184D2A50 | nibble, len(data)) + data

def split_frame(f):
    """-> (descriptor, header fields dict, body (blocks + checksum))"""
    assert struct.unpack_from("<I", f)[0] == 0xFD2FB528
    d = f[4]; i = 5
    single = d >> 5 & 1
    if not single: i += 1
    i += [0, 1, 2, 4][d & 3]
    i += [1 if single else 0, 2, 4, 8][d >> 6]
    return d, f[i:]

def reheader(f, fcs_bytes, single, dict_bytes=0, dict_id=0, window_byte=None, size=None):
    d, body = split_frame(f)
    checksum = d & 4
    flag = {0: 0, 1: 0, 2: 1, 4: 2, 8: 3}[fcs_bytes]
    assert not (fcs_bytes == 1 and not single) and not (fcs_bytes == 0 and single)
    out = struct.pack("<I", 0xFD2FB528)
    out += bytes([flag << 6 | (0x20 if single else 0) | checksum | {0: 0, 1: 1, 2: 2, 4: 3}[dict_bytes]])
    if not single: out += bytes([window_byte])
    out += dict_id.to_bytes(dict_bytes, "little")
    if fcs_bytes == 2: out += (size - 256).to_bytes(2, "little")
    elif fcs_bytes: out += size.to_bytes(fcs_bytes, "little")
    return out + body

short, rnd = payload("short"), payload("random")
rep = payload("repetitive")
rep3 = comp(rep, 3, checksum=True)
golden_small = [
    ("zstd-3-empty", "empty", comp(b"", 3)),
    ("zstd-3-empty-no-size", "empty", comp(b"", 3, content_size=False)),
    ("zstd-1-short", "short", comp(short, 1)),
    ("zstd-19-short-checksum", "short", comp(short, 19, checksum=True)),
    ("zstd-1-repetitive", "repetitive", comp(rep, 1)),
    ("zstd-3-repetitive-checksum", "repetitive", rep3),
    ("zstd-19-repetitive-stream", "repetitive", comp(rep, 19, stream=True)),
    ("zstd-19-zeros-checksum", "zeros", comp(payload("zeros"), 19, checksum=True)),
    ("zstd-concatenated", "short+random", comp(short, 3) + comp(rnd, 1, checksum=True)),
    ("zstd-skippable", "short", skippable(0, b"kafka") + comp(short, 3, checksum=True) + skippable(15, b"")),
    ("zstd-fcs8-repetitive", "repetitive", reheader(rep3, 8, True, size=len(rep))),
    ("zstd-fcs4-window-repetitive", "repetitive", reheader(rep3, 4, False, window_byte=0x38, size=len(rep))),
    ("zstd-fcs2-window-short", "short+random", reheader(comp(short + rnd, 3, checksum=True), 2, False, window_byte=0x10, size=len(short + rnd))),
    ("zstd-window-mantissa-repetitive", "repetitive", reheader(rep3, 0, False, window_byte=0x37)),
    ("zstd-dictid1-repetitive", "repetitive", reheader(rep3, 4, True, dict_bytes=1, size=len(rep))),
    ("zstd-dictid2-repetitive", "repetitive", reheader(rep3, 0, False, dict_bytes=2, window_byte=0x38)),
    ("zstd-dictid4-repetitive", "repetitive", reheader(rep3, 8, True, dict_bytes=4, size=len(rep))),
]
golden_medium = [
    ("zstd-1-random", "random", comp(rnd, 1)),
    ("zstd-3-random-checksum-stream", "random", comp(rnd, 3, checksum=True, stream=True)),
    ("zstd-1-words-checksum", "words", comp(payload("words"), 1, checksum=True)),
    ("zstd-19-words-checksum-stream", "words", comp(payload("words"), 19, checksum=True, stream=True)),
    ("zstd-3-nibbles", "nibbles", comp(payload("nibbles"), 3)),
    ("zstd-1-nibbles-checksum", "nibbles", comp(payload("nibbles"), 1, checksum=True)),
    ("zstd-19-xruns", "xruns", comp(payload("xruns"), 19)),
]
t = payload("text1m")
golden_large = [
    ("zstd-3-text1m-checksum", "text1m", comp(t, 3, checksum=True)),
    ("zstd-19-text1m-checksum-stream", "text1m", comp(t, 19, checksum=True, stream=True)),
]
z2 = bytes(2 << 20)
bombs = [
    ("zstd-bomb-stream", comp(z2, 19, stream=True)),
    ("zstd-bomb-content-size", comp(z2, 19)),
]
# The dictionary-ID frames that must be refused: a valid frame re-headed with ID 0x01020304.
dictionary = reheader(rep3, 4, True, dict_bytes=4, dict_id=0x01020304, size=len(rep))

# Kafka batch with kafka-python.
from kafka.record.default_records import DefaultRecordBatchBuilder
b = DefaultRecordBatchBuilder(magic=2, compression_type=4, is_transactional=False, producer_id=-1,
                              producer_epoch=-1, base_sequence=-1, batch_size=1 << 20)
ts = 1_700_000_000_000
b.append(0, ts, b"k0", b"first value", [])
b.append(1, ts + 5, None, repetitive(5000), [("h", b"v")])
b.append(2, ts + 9, b"k2", None, [])
batch = bytes(b.build())
assert batch[22] & 7 == 4

# Sanity: every vector decodes with the reference decoder to its payload.
dctx = zstd.ZstdDecompressor()
for name, pname, data in golden_small + golden_medium + golden_large:
    if "dictid" in name: continue
    got = b"".join(dctx.decompressobj().decompress(data[i:]) for i in [0]) if False else None
    out = bytearray(); rest = data
    # decompress multi frames
    while rest:
        if struct.unpack_from("<I", rest)[0] & 0xFFFFFFF0 == 0x184D2A50:
            rest = rest[8 + struct.unpack_from("<I", rest, 4)[0]:]; continue
        do = dctx.decompressobj(); out += do.decompress(rest); rest = do.unused_data
    assert bytes(out) == payload(pname), name

def hexlines(data, indent=12, width=120):
    h = data.hex()
    return "\n".join(" " * indent + h[i:i + width] for i in range(0, len(h), width)) if h else " " * indent

def entries(vs):
    out = []
    for name, pname, data in vs:
        out.append(f'        ("{name}", "{pname}",\n            """\n{hexlines(data)}\n            """),')
    return "\n".join(out)

HEAD = "// Golden zstd vectors for ZstdTests, generated with Python's zstandard 0.25 (libzstd %s); see the\n// notes at the top of ZstdTests.swift.\n" % ".".join(map(str, zstd.ZSTD_VERSION))
T = "[(name: String, payload: String, hex: String)]"
files = {}
files["ZstdVectors.swift"] = HEAD + f"""
enum ZstdVectors {{
    /// (name, payload name, compressed hex); see `ZstdTests.payload(_:)`.
    static let golden: {T} = small + medium + large

    static let small: {T} = [
{entries(golden_small)}
    ]

    /// zstd frames of 2 MiB of zeros: streamed (no content size) and with the content size.
    static let bombs: [(name: String, hex: String)] = [
""" + "\n".join(f'        ("{n}",\n            """\n{hexlines(d)}\n            """),' for n, d in bombs) + f"""
    ]

    /// `zstd-3-repetitive-checksum` re-headed with dictionary ID 0x01020304.
    static let dictionaryFrame = \"\"\"
{hexlines(dictionary, 8)}
        \"\"\"

    /// A RecordBatch v2 with compression attribute 4, built by kafka-python 3.0's
    /// DefaultRecordBatchBuilder (the same records as the gzip/snappy/lz4 batches).
    static let kafkaPythonBatch = \"\"\"
{hexlines(batch, 8)}
        \"\"\"
}}
"""
files["ZstdVectors+Medium.swift"] = HEAD + f"""
extension ZstdVectors {{
    static let medium: {T} = [
{entries(golden_medium)}
    ]
}}
"""
files["ZstdVectors+Large.swift"] = HEAD + f"""
extension ZstdVectors {{
    /// 1 MiB of generated text at levels 3 and 19: 4-stream Huffman literals, treeless and
    /// repeat modes, offsets of about 512 KiB.
    static let large: {T} = [
{entries(golden_large)}
    ]
}}
"""
import os
outdir = sys.argv[1]
for fn, text in files.items():
    open(os.path.join(outdir, fn), "w").write(text)
    print(fn, text.count("\n"), "lines")
allf = set()
for name, pname, data in golden_small + golden_medium + golden_large:
    f = census(data); allf |= f
    print(name, len(data), sorted(f))
print(sorted(allf))
