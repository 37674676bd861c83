"""Signed recordings (issue 12, tamper evidence): keygen, record --sign,
show --verify and replay --verify; single-byte changes spread over a
signed file, a dropped record, two swapped records and a cut trailer, each
refused with exit 3 and the offset of the first bad record; the chain
checked here with Python's own blake2b and the signature with the
cryptography package, so the format is what the docs say."""
import hashlib
import json
import os
import re
import stat

from helpers import ORIGIN_NOTE, ZSTD_MAGIC, TmpTestCase, _varint, plain_bytes, read_pb, record, run, sperrips_pb2, tracee

TAG_CHECK = 0x85  # Recording.check: (16 << 3) | 5, on the wire 0x85 0x01
TAG_SEAL = 0x8A  # Recording.seal: (17 << 3) | 2

SLOW = bool(os.environ.get("SPERRIPS_SLOW") or os.environ.get("CI"))


def records(data):
    """The top-level records of a signed file: (start, end of the record,
    end of its check) each; the seal last with no check (end == end)."""
    out, pos = [], 0
    while pos < len(data):
        tag, p = _varint(data, pos)
        length, p = _varint(data, p)
        end = p + length
        if tag == TAG_SEAL:
            out.append((pos, end, end))
        else:
            assert data[end:end + 2] == bytes([TAG_CHECK, 1]), "no check after the record at %d" % pos
            out.append((pos, end, end + 6))
        pos = out[-1][2]
    return out


def read_key(path, word):
    with open(path) as f:
        text = f.read()
    m = re.fullmatch(word + r" ([0-9a-f]{64})\n", text)
    assert m, text
    return bytes.fromhex(m.group(1))


class Signing(TmpTestCase):
    def setUp(self):
        super().setUp()
        self.key = os.path.join(self.tmp, "lab")
        p = run(["keygen", self.key])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.pub = read_key(self.key + ".pub", "sperrips-ed25519-public")
        self.fp = self.pub[:8].hex()
        self.assertEqual(p.stderr.decode(), "sperrips: wrote %s.key (secret, for record --sign) and %s.pub (for show "
                         "and replay --verify); key %s\n" % (self.key, self.key, self.fp))

    def signed(self, argv, name="s.bin", compress=False):
        # standard output a file, as replay's --stdout gives it; plain
        # unless asked: the tests change the records' bytes in place
        opts = ["--sign", self.key + ".key", "--stdout", os.path.join(self.tmp, "rec.out")]
        p, path = record(self.tmp, argv, opts + ([] if compress else ["--no-compress"]), out_name=name)
        self.assertEqual(p.returncode, 0, p.stderr)
        return path

    def refused(self, args, offset=None, contains=None):
        """Run, expect exit 3 and one line naming an offset; return it."""
        p = run(args)
        self.assertEqual(p.returncode, 3, (args, p.stderr))
        line = self.assertOneLineError(p)
        m = re.search(r"at byte (\d+)", line)
        self.assertIsNotNone(m, line)
        if offset is not None:
            self.assertEqual(int(m.group(1)), offset, line)
        if contains is not None:
            self.assertIn(contains, line)
        self.assertEqual(p.stdout, b"", "a refused file shows nothing")
        return int(m.group(1)), line

    def test_keygen_files(self):
        k = os.stat(self.key + ".key")
        self.assertEqual(stat.S_IMODE(k.st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(self.key + ".pub").st_mode), 0o644)
        seed = read_key(self.key + ".key", "sperrips-ed25519-secret")
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
        derived = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.assertEqual(derived, self.pub)
        # never over an existing file, either of the two; nothing written then
        with open(self.key + ".key", "rb") as f:
            before = f.read()
        p = run(["keygen", self.key])
        self.assertEqual(p.returncode, 5)
        self.assertEqual(self.assertOneLineError(p), "sperrips: keygen: %s.key exists already; not overwritten "
                         "(remove it or choose another NAME)" % self.key)
        with open(self.key + ".key", "rb") as f:
            self.assertEqual(f.read(), before)
        only_pub = os.path.join(self.tmp, "half")
        with open(only_pub + ".pub", "w") as f:
            f.write("mine\n")
        p = run(["keygen", only_pub])
        self.assertEqual(p.returncode, 5)
        self.assertFalse(os.path.exists(only_pub + ".key"))
        self.assertEqual(run(["keygen"]).returncode, 2)

    def test_key_files_refused(self):
        p, _ = record(self.tmp, ["/bin/true"], ["--sign", self.key + ".pub"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p), "sperrips: --sign %s.pub: a public key file, not a secret one "
                         "(sperrips keygen NAME writes NAME.key)" % self.key)
        p = run(["show", "--verify", self.key + ".key", "x.bin"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p), "sperrips: --verify %s.key: a secret key file, not a public "
                         "one (sperrips keygen NAME writes NAME.pub)" % self.key)
        p = run(["replay", "--verify", "/nonexistent.pub"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p), "sperrips: --verify /nonexistent.pub: No such file or "
                         "directory (sperrips keygen NAME writes NAME.pub)")

    def test_show_json_names_the_signer(self):
        path = self.signed(["/bin/cat", "/etc/hostname"])
        p = run(["show", "--json", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        head = json.loads(p.stdout.decode().splitlines()[0])
        self.assertEqual(head["signer"], {"key": self.pub.hex(), "fingerprint": self.fp, "verified": False})
        p = run(["show", "--json", "--verify", self.key + ".pub", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        head = json.loads(p.stdout.decode().splitlines()[0])
        self.assertEqual(head["signer"], {"key": self.pub.hex(), "fingerprint": self.fp, "verified": True,
                                          "verified_with": self.key + ".pub"})
        # an unsigned recording has no signer
        p, plain = record(self.tmp, ["/bin/true"], out_name="u.bin")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("signer", json.loads(run(["show", "--json", plain]).stdout.decode().splitlines()[0]))

    def test_signed_recording_verifies(self):
        path = self.signed(["/bin/cat", "/etc/hostname"])
        with open(path, "rb") as f:
            data = f.read()
        recs = records(data)
        # The chain, made again here: h_i = blake2b-256(key h_(i-1), record i).
        h = hashlib.blake2b(b"sperrips chain v1", digest_size=32).digest()
        for start, end, check_end in recs[:-1]:
            h = hashlib.blake2b(data[start:end], key=h, digest_size=32).digest()
            self.assertEqual(data[end + 2:check_end], h[:4], "check of the record at %d" % start)
        self.assertEqual(data[recs[-1][0]:recs[-1][0] + 3], bytes([TAG_SEAL, 1, 100]))
        seal = sperrips_pb2.Seal.FromString(data[recs[-1][0] + 3:])
        self.assertEqual(seal.chain, h)
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        Ed25519PublicKey.from_public_bytes(self.pub).verify(seal.signature, b"sperrips seal v1\0" + h)
        # The Python reader generated from our .proto reads it whole.
        rec = read_pb(path)
        self.assertEqual(rec.metadata.signer, self.pub)
        self.assertEqual(len(rec.syscall), rec.metadata.number_of_syscalls)
        self.assertEqual(len(rec.check), len(recs) - 1)
        self.assertEqual(rec.metadata.argv if False else list(rec.metadata.command.argv), ["/bin/cat", "/etc/hostname"])

        p = run(["show", "--verify", self.key + ".pub", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, b"")
        verified = p.stdout.decode().splitlines()
        self.assertIn("# signed by key %s, verified with %s.pub: every record is the signer's" % (self.fp, self.key),
                      verified)
        plain = run(["show", path])
        self.assertEqual(plain.returncode, 0, plain.stderr)
        lines = plain.stdout.decode().splitlines()
        self.assertIn("# signed by key %s, not verified (--verify KEY.pub checks whose key it is)" % self.fp, lines)
        self.assertEqual([l for l in lines if not l.startswith("# signed")],
                         [l for l in verified if not l.startswith("# signed")])

        out = os.path.join(self.tmp, "out.txt")
        p = run(["replay", "--verify", self.key + ".pub", "-i", path, "-o", os.path.join(self.tmp, "d.bin"),
                 "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        err = p.stderr.decode()
        self.assertNotIn("note:", err)
        self.assertRegex(err.splitlines()[0], r"^sperrips: replaying /bin/cat /etc/hostname \(working directory ")
        self.assertRegex(err.splitlines()[1], r'^sperrips: replay of job "cat" \(\d+ of \d+ recorded syscalls '
                         r'compared\): (identical|equivalent)')
        with open(out, "rb") as f, open("/etc/hostname", "rb") as g:
            self.assertEqual(f.read(), g.read())
        # without --verify: it replays, and says whose key nobody checked
        p = run(["replay", "-i", path, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.decode().splitlines()[0], "sperrips: note: the recording is signed by key %s, but "
                         "no --verify KEY.pub said whose key that is: its origin is unchecked" % self.fp)

        # Signed and compressed (record's default): the chain is over the
        # plain records, which zstd -dc gives back; it verifies the same,
        # and a changed byte of the plain stream is refused.
        zpath = self.signed(["/bin/cat", "/etc/hostname"], name="z.bin", compress=True)
        with open(zpath, "rb") as f:
            self.assertEqual(f.read(4), ZSTD_MAGIC)
        p = run(["show", "--verify", self.key + ".pub", zpath])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("# signed by key %s, verified with %s.pub: every record is the signer's" % (self.fp, self.key),
                      p.stdout.decode().splitlines())
        p = run(["replay", "--verify", self.key + ".pub", "-i", zpath, "-o", os.path.join(self.tmp, "d.bin"),
                 "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        plain = bytearray(plain_bytes(zpath))
        recs = records(bytes(plain))
        plain[recs[3][0] + 5] ^= 1
        bad = self.tmpfile("zbad.bin", bytes(plain))
        offset, _ = self.refused(["show", "--verify", self.key + ".pub", bad])
        self.assertEqual(offset, recs[3][0])

    def test_unsigned_recording(self):
        p, path = record(self.tmp, ["/bin/cat", "/etc/hostname"], ["--stdout", os.path.join(self.tmp, "rec.out")])
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.tmp, "out.txt")
        p = run(["replay", "-i", path, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.decode().splitlines()[0], ORIGIN_NOTE)
        self.assertEqual(p.stderr.decode().count("note:"), 1)
        lines, _ = run(["show", path]).stdout.decode().splitlines(), None
        self.assertFalse([l for l in lines if l.startswith("# signed")])
        self.refused(["show", "--verify", self.key + ".pub", path], 0,
                     "the header names no signer (not a signed recording; --verify %s.pub wants key %s)"
                     % (self.key, self.fp))
        self.refused(["replay", "--verify", self.key + ".pub", "-i", path, "-o", os.path.join(self.tmp, "d.bin")], 0,
                     "not a signed recording")

    def test_wrong_key(self):
        other = os.path.join(self.tmp, "other")
        self.assertEqual(run(["keygen", other]).returncode, 0)
        ofp = read_key(other + ".pub", "sperrips-ed25519-public")[:8].hex()
        path = self.signed(["/bin/true"])
        want = "bad record at byte 0: signed by key %s, not by %s.pub (key %s)" % (self.fp, other, ofp)
        self.refused(["show", "--verify", other + ".pub", path], 0, want)
        self.refused(["replay", "--verify", other + ".pub", "-i", path, "-o", os.path.join(self.tmp, "d.bin")], 0,
                     want)

    def test_changed_bytes_refused(self):
        """Single-byte changes at positions spread over the whole file (1,000
        with SPERRIPS_SLOW or CI, 150 otherwise): each refused, exit 3, with
        the offset of the record the byte belongs to."""
        path = self.signed(["/bin/cat", "/etc/hostname"])
        with open(path, "rb") as f:
            data = f.read()
        recs = records(data)
        starts = [r[0] for r in recs]
        count = 1000 if SLOW else 150
        bad = os.path.join(self.tmp, "flip.bin")
        seen = set()
        # spread from the first byte to the last (in the seal)
        for i in range(count):
            pos = i * (len(data) - 1) // (count - 1)
            flipped = bytearray(data)
            flipped[pos] ^= 1 << (i % 8)
            with open(bad, "wb") as f:
                f.write(flipped)
            want = max(s for s in starts if s <= pos)
            at, _ = self.refused(["show", "--verify", self.key + ".pub", bad], want)
            seen.add(at)
        self.assertIn(starts[0], seen)  # the header
        self.assertIn(starts[-1], seen)  # the seal
        self.assertGreater(len(seen), 10)

    def test_dropped_swapped_cut(self):
        marker = os.path.join(self.tmp, "ran")
        path = self.signed(["/bin/sh", "-c", "/bin/cat /etc/hostname; /usr/bin/touch " + marker])
        os.unlink(marker)
        with open(path, "rb") as f:
            data = f.read()
        recs = records(data)
        self.assertGreater(len(recs), 40)
        edited = os.path.join(self.tmp, "edited.bin")
        k = len(recs) // 2
        a, b, c = recs[k][0], recs[k + 1][0], recs[k + 2][0]
        fails = "bad record at byte %d: it fails its check (changed, or a record before it removed or moved)"
        cases = [
            ("dropped", data[:a] + data[b:], fails % a),
            ("swapped", data[:a] + data[b:c] + data[a:b] + data[c:], fails % a),
            ("trailer cut", data[:recs[-2][0]],
             "bad record at byte %d: the signed recording ends there, without its trailer and seal" % recs[-2][0]),
            ("seal cut", data[:recs[-1][0]],
             "bad record at byte %d: the signed recording ends there, without its seal" % recs[-1][0]),
        ]
        for what, content, message in cases:
            with self.subTest(what):
                with open(edited, "wb") as f:
                    f.write(content)
                self.refused(["show", "--verify", self.key + ".pub", edited], contains=message)
                _, line = self.refused(["replay", "--verify", self.key + ".pub", "-i", edited,
                                        "-o", os.path.join(self.tmp, "d.bin")], contains=message)
                self.assertTrue(line.startswith("sperrips: cannot replay %s: " % edited), line)
                self.assertFalse(os.path.exists(marker), "replay ran the program of a refused recording")
                # from a pipe too (the input is copied before it is checked)
                with open(edited, "rb") as f:
                    p = run(["replay", "--verify", self.key + ".pub", "-i", "-",
                             "-o", os.path.join(self.tmp, "d.bin")], stdin=f)
                self.assertEqual(p.returncode, 3)
                self.assertIn(message, self.assertOneLineError(p))
                self.assertFalse(os.path.exists(marker))
        # the intact file replays and runs the program
        p = run(["replay", "--verify", self.key + ".pub", "-i", path, "-o", os.path.join(self.tmp, "d.bin"),
                 "--stdout", os.path.join(self.tmp, "o.txt")])
        self.assertIn(p.returncode, (0, 1), p.stderr)
        self.assertTrue(os.path.exists(marker))

    def test_signals_and_threads_signed(self):
        """Signals are records of the chain too."""
        path = self.signed([tracee("forker")], name="f.bin")
        rec = read_pb(path)
        self.assertGreater(len(rec.signal), 0)
        self.assertEqual(len(rec.check), len(rec.syscall) + len(rec.signal) + 2)
        p = run(["show", "--verify", self.key + ".pub", path])
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
