# Walks zstd frames and reports which format features appear (headers only).
import struct
def census(data):
    feats = set(); i = 0
    while i < len(data):
        magic = struct.unpack_from("<I", data, i)[0]
        if magic & 0xFFFFFFF0 == 0x184D2A50:
            feats.add("skippable"); size = struct.unpack_from("<I", data, i + 4)[0]; i += 8 + size; continue
        assert magic == 0xFD2FB528
        fhd = data[i + 4]; i += 5
        fcsFlag = fhd >> 6; single = fhd >> 5 & 1; checksum = fhd >> 2 & 1; did = fhd & 3
        feats.add(f"fcs{[0 if not single else 1, 2, 4, 8][fcsFlag]}"); 
        if single: feats.add("single-segment")
        else: feats.add("window-descriptor"); i += 1
        i += [0, 1, 2, 4][did] + [0 if not single else 1, 2, 4, 8][fcsFlag]
        if checksum: feats.add("checksum")
        while True:
            h = data[i] | data[i+1] << 8 | data[i+2] << 16; i += 3
            last = h & 1; btype = h >> 1 & 3; size = h >> 3
            feats.add(["raw-block", "rle-block", "compressed-block"][btype])
            if btype == 1: i += 1
            elif btype == 0: i += size
            else:
                b = data[i:i+size]; i += size
                lt = b[0] & 3; sf = b[0] >> 2 & 3
                feats.add(["lit-raw", "lit-rle", "lit-huffman", "lit-treeless"][lt])
                if lt < 2:
                    hs = 1 if sf in (0, 2) else 2 if sf == 1 else 3
                    rs = (b[0] >> 3) if hs == 1 else (b[0] >> 4) + (b[1] << 4) + ((b[2] << 12) if hs == 3 else 0)
                    p = hs + (rs if lt == 0 else 1)
                else:
                    hs = {0: 3, 1: 3, 2: 4, 3: 5}[sf]; bits = {0: 10, 1: 10, 2: 14, 3: 18}[sf]
                    v = int.from_bytes(b[:hs], "little")
                    cs = (v >> (4 + bits)) & ((1 << bits) - 1)
                    feats.add("1-stream" if sf == 0 else "4-streams")
                    if lt == 2: feats.add("weights-fse" if b[hs] < 128 else "weights-direct")
                    p = hs + cs
                n = b[p]
                if n == 0: feats.add("no-sequences")
                else:
                    p += 1 if n < 128 else 2 if n < 255 else 3
                    m = b[p]
                    for name, mode in (("LL", m >> 6), ("OF", m >> 4 & 3), ("ML", m >> 2 & 3)):
                        feats.add(f"{name}-{['predefined', 'rle', 'fse', 'repeat'][mode]}")
            if last: break
        if checksum: i += 4
    return feats
