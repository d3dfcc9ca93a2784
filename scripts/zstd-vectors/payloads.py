M64 = (1 << 64) - 1

class SplitMix64:
    def __init__(self, seed): self.state = seed
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

TEXT = b"The quick brown coffee jumps over the lazy kafka. "
VOCAB = ("espresso latte barista order ticket topic partition offset broker consumer producer "
         "record batch kafka queue steam milk foam cup grinder bean roast shot pour crema "
         "mocha cortado ristretto leader replica commit group fetch produce segment index log "
         "swift frame window literal sequence huffman entropy table").split()

def repetitive(n):
    out = bytearray(TEXT[i % len(TEXT)] for i in range(n))
    for i in range(0, n, 1000): out[i] = (i // 1000) % 256
    return bytes(out)

def pseudo(n, seed):
    x = seed; out = bytearray()
    for _ in range(n):
        x = (x * 1103515245 + 12345) % (1 << 31)
        out.append((x >> 16) & 0xFF)
    return bytes(out)

def words(n, seed):
    rng = SplitMix64(seed); out = bytearray()
    while len(out) < n:
        out += VOCAB[rng.next() % len(VOCAB)].encode()
        r = rng.next() % 16
        out += b". " if r == 0 else b", " if r == 1 else b"\n" if r == 2 else b" "
    return bytes(out[:n])

def text1m():
    rng = SplitMix64(99)
    base = words(32768, 1)
    half = 1 << 19
    first = bytearray()
    while len(first) < half:
        r = rng.next()
        start = r % (len(base) - 2048)
        length = 256 + (r >> 20) % 1793
        first += base[start:start + length]
    first = first[:half]
    second = bytearray(first)
    for i in range(0, half, 4096):
        pos = i + rng.next() % 4096
        second[pos] = ord('A') + rng.next() % 26
    return bytes(first + second)

def nibbles(n, seed):
    rng = SplitMix64(seed)
    return bytes(min(rng.next() % 16, rng.next() % 16) for _ in range(n))

def payload(name):
    if name == "empty": return b""
    if name == "short": return b"hello, kafka"
    if name == "repetitive": return repetitive(100_000)
    if name == "random": return pseudo(3000, 42)
    if name == "short+random": return payload("short") + payload("random")
    if name == "words": return words(30_000, 7)
    if name == "text1m": return text1m()
    if name == "nibbles": return nibbles(4000, 3)
    if name == "zeros": return bytes(300_000)
    raise KeyError(name)

def xruns(n, seed):
    rng = SplitMix64(seed)
    toks = [bytes(97 + rng.next() % 26 for _ in range(16)) for _ in range(2)]
    out = bytearray()
    while len(out) < n:
        out += b"x" * (1 + rng.next() % 400) + toks[rng.next() % 2]
    return bytes(out[:n])

_old_payload = payload
def payload(name):
    if name == "xruns": return xruns(200_000, 6)
    return _old_payload(name)
