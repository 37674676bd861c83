"""The files tracee: openat -> read -> write -> failing openat -> exit_group,
checked through show --json and through the Python protobuf reader."""
import hashlib
import os
import re

from helpers import (ENOENT, TmpTestCase, find_subsequence, read_pb, record, arg_bytes,
                     show_json, show_text, signed, tracee)

CONTENT = b"known content\x00\xff\n\"quoted\" \\ end\n"
MISSING = b"/nonexistent/sperrips-test"
NR = {"read": 0, "write": 1, "openat": 257, "exit_group": 231}


class FilesTracee(TmpTestCase):
    def setUp(self):
        super().setUp()
        self.input = self.tmpfile("input.txt", CONTENT)
        self.out = os.path.join(self.tmp, "stdout.txt")
        with open(self.out, "wb") as f:
            self.proc, self.path = record(self.tmp, [tracee("files"), self.input], stdout=f)
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)

    def test_program_output(self):
        with open(self.out, "rb") as f:
            self.assertEqual(f.read(), CONTENT)

    def test_sequence_in_show_json(self):
        meta, events, _ = show_json(self.path)
        path = self.input.encode()
        fd = {}

        def opened(e):
            if e["name"] == "openat" and arg_bytes(e["entry"][1]) == path and e["retval"] >= 0:
                fd["in"] = e["retval"]
                return True
            return False

        steps = [
            opened,
            lambda e: (e["name"] == "read" and e["entry"][0]["value"] == fd["in"]
                       and e["retval"] == len(CONTENT) and arg_bytes(e["exit"][1]) == CONTENT),
            lambda e: (e["name"] == "write" and e["entry"][0]["value"] == 1
                       and arg_bytes(e["entry"][1]) == CONTENT and e["retval"] == len(CONTENT)),
            lambda e: (e["name"] == "read" and e["entry"][0]["value"] == fd["in"] and e["retval"] == 0),
            lambda e: e["name"] == "close" and e["entry"][0]["value"] == fd["in"] and e["retval"] == 0,
            lambda e: (e["name"] == "openat" and arg_bytes(e["entry"][1]) == MISSING
                       and e["retval"] == -ENOENT),
        ]
        idx, got = find_subsequence(events, steps)
        self.assertIsNotNone(idx, "step %d of the expected sequence not found" % got)
        # The calls are adjacent: the tracee makes nothing in between.
        self.assertEqual(idx, list(range(idx[0], idx[0] + len(steps))))
        last = events[-1]
        self.assertEqual(last["name"], "exit_group")
        self.assertEqual(last["nr"], NR["exit_group"])
        self.assertTrue(last.get("exit_call"))
        self.assertEqual(last["entry"][0]["value"], 0)
        self.assertNotIn("retval", last)
        self.assertEqual(idx[-1] + 1, len(events) - 1, "exit_group right after the failing openat")
        # Types as the wire format names them.
        e = events[idx[0]]
        self.assertEqual(e["entry"][1]["type"], "CHAR_PTR")
        self.assertEqual(events[idx[1]]["exit"][1]["type"], "OUT_BUFFER")
        self.assertEqual(events[idx[2]]["entry"][1]["type"], "VOID_PTR_FOLLOW")
        self.assertEqual(events[idx[5]]["return"]["type"], "SIGNED_INT")
        # Indexes count from 0 without gaps.
        self.assertEqual([e["index"] for e in events], list(range(len(events))))
        # The metadata line.
        self.assertEqual(meta["kind"], "recording")
        self.assertEqual(meta["job"], "files")
        self.assertEqual(meta["argv"], [tracee("files"), self.input])
        self.assertEqual(meta["number_of_syscalls"], len(events))
        self.assertEqual(meta["count"], len(events))
        self.assertEqual(meta["release"], os.uname().release)
        self.assertEqual(meta["nodename"], os.uname().nodename)
        self.assertTrue(meta["version"])
        self.assertFalse(meta["interrupted"])
        self.assertEqual(meta["exit_status"], 0)
        self.assertNotIn("incomplete", meta)

    def test_sequence_in_protobuf(self):
        rec = read_pb(self.path)
        calls = list(rec.syscall)
        path = self.input.encode()

        def ent(s, i):
            return s.args_on_entry.args[i]

        def ext(s, i):
            return s.args_on_exit.args[i]

        def rv(s):
            return signed(s.return_value.int64)

        steps = [
            lambda s: s.type == NR["openat"] and ent(s, 1).buffer == path and rv(s) >= 0,
            lambda s: s.type == NR["read"] and rv(s) == len(CONTENT) and ext(s, 1).buffer == CONTENT,
            lambda s: s.type == NR["write"] and ent(s, 0).int64 == 1 and ent(s, 1).buffer == CONTENT
            and rv(s) == len(CONTENT),
            lambda s: s.type == NR["openat"] and ent(s, 1).buffer == MISSING and rv(s) == -ENOENT,
        ]
        idx, got = find_subsequence(calls, steps)
        self.assertIsNotNone(idx, "step %d not found through sperrips_pb2" % got)
        o = calls[idx[0]]
        self.assertEqual(signed(ent(o, 0).int64) & 0xFFFFFFFF, 0xFFFFFF9C)  # AT_FDCWD
        self.assertEqual(ent(o, 1).type, 4)  # CHAR_PTR
        self.assertNotEqual(ent(o, 1).ptr, 0)
        self.assertEqual(len(o.args_on_entry.args), 4)
        self.assertEqual(len(o.args_on_exit.args), 4)
        r = calls[idx[1]]
        self.assertEqual(ext(r, 1).type, 6)  # OUT_BUFFER
        self.assertEqual(ent(r, 2).int64, 65536)
        self.assertEqual(r.return_value.type, 30)  # SIGNED_INT
        self.assertFalse(r.isExitCall)
        last = calls[-1]
        self.assertEqual(last.type, NR["exit_group"])
        self.assertTrue(last.isExitCall)
        self.assertFalse(last.HasField("return_value"))
        m = rec.metadata
        self.assertEqual(list(m.command.argv), [tracee("files"), self.input])
        self.assertEqual(m.job_name, "files")
        self.assertEqual(m.number_of_syscalls, len(calls))
        self.assertEqual(m.sysinfo.release, os.uname().release)
        self.assertEqual(m.sysinfo.machine, os.uname().machine)
        self.assertTrue(m.version)
        self.assertGreater(m.time_recorded, 1600000000)
        self.assertGreater(len(m.aslrInfo.ranges), 0, "memory ranges from /proc/PID/maps")
        with open("/proc/sys/kernel/randomize_va_space") as f:
            self.assertEqual(m.aslrInfo.state, int(f.read()))
        sections = [r.section for r in m.aslrInfo.ranges]
        self.assertIn(tracee("files"), sections)
        # No prototype-era field is missing: every syscall has its opcode and
        # both argument lists.
        for s in calls:
            self.assertEqual(len(s.args_on_entry.args), len(s.args_on_exit.args))

    def test_show_text(self):
        lines, p = show_text(self.path)
        self.assertEqual(p.returncode, 0, p.stderr)
        body = [l for l in lines if not l.startswith("#")]
        self.assertTrue(any(l.startswith('openat(AT_FDCWD, "/nonexistent/sperrips-test", O_RDONLY')
                            and l.endswith("= -1 ENOENT (No such file or directory)") for l in body))
        self.assertEqual(body[-1], "exit_group(0) = ?")
        self.assertTrue(any(re.fullmatch(r'write\(1, "known content\\0\\377\\n\\"quoted\\" \\\\ end\\n", %d\) = %d'
                                         % (len(CONTENT), len(CONTENT)), l) for l in body), "\n".join(body))
        self.assertTrue(any(l.startswith("# ") and "files" in l for l in lines[:3]))

    def test_read_at_eof_shows_empty_string(self):
        """read at end of file captured 0 bytes: show prints "" as strace does,
        not the buffer's address."""
        lines, p = show_text(self.path)
        self.assertEqual(p.returncode, 0, p.stderr)
        eof = [l for l in lines if re.match(r"read\(\d+, .*, 65536\) = 0$", l)]
        self.assertEqual(len(eof), 1, lines)
        self.assertRegex(eof[0], r'^read\(\d+, "", 65536\) = 0$')


class MappedBytesAndAslr(TmpTestCase):
    def mmaps(self, opts=(), name="r.bin"):  # noqa
        p, path = record(self.tmp, ["/bin/true"], opts=list(opts), out_name=name)
        self.assertEqual(p.returncode, 0, p.stderr)
        meta, events, _ = show_json(path)
        return [e for e in events if e["name"] == "mmap"], meta

    def test_file_mmap_carries_the_mapped_bytes(self):
        # with --map-bytes; by default only their page digests (below)
        p, path = record(self.tmp, ["/bin/true"], ["--map-bytes"])
        self.assertEqual(p.returncode, 0, p.stderr)
        _, events, _ = show_json(path)
        opened = {}
        checked = 0
        for e in events:
            if e["name"] == "openat" and e.get("retval", -1) >= 0:
                opened[e["retval"]] = arg_bytes(e["entry"][1]).decode()
            if e["name"] != "mmap" or signed(e["retval"]) < 0:
                continue
            fd, length, offset = signed(e["entry"][4]["value"]) & 0xFFFFFFFF, e["entry"][1]["value"], e["entry"][5]["value"]
            data = arg_bytes(e["return"])
            self.assertEqual(e["return"]["type"], "PASLR_FOLLOW")
            if e["entry"][3]["value"] & 0x20:  # MAP_ANONYMOUS: no bytes
                self.assertEqual(data, b"")
                continue
            self.assertIn(fd, opened)
            with open(opened[fd], "rb") as f:
                f.seek(offset)
                want = f.read(length)
            # The mapping's bytes up to its length, or up to the end of the
            # file's last page (the rest of the mapping cannot be read).
            self.assertGreater(len(data), 0)
            self.assertLessEqual(len(data), length)
            self.assertEqual(data[:len(want)], want[:len(data)], "mmap of %s at %d" % (opened[fd], offset))
            if len(want) == length:
                self.assertEqual(len(data), length)
            self.assertEqual(e["map_length"], len(data))
            self.assertEqual(e["map_path"], os.path.realpath(opened[fd]))
            checked += 1
        self.assertGreaterEqual(checked, 3)

    def test_file_mmap_carries_a_digest_per_page(self):
        p, path = record(self.tmp, ["/bin/true"])
        self.assertEqual(p.returncode, 0, p.stderr)
        _, events, _ = show_json(path)
        checked = 0
        for e in events:
            if e["name"] != "mmap" or signed(e["retval"]) < 0 or e["entry"][3]["value"] & 0x20:
                self.assertNotIn("map_page_sha256_hex", e)
                continue
            self.assertEqual(arg_bytes(e["return"]), b"")  # no bytes by default
            offset, n = e["entry"][5]["value"], e["map_length"]
            with open(e["map_path"], "rb") as f:
                f.seek(offset)
                data = f.read(n)
            # the last page of the file reads as zeros past its end
            data += bytes(n - len(data))
            want = "".join(hashlib.sha256(data[i:i + 4096]).hexdigest() for i in range(0, n, 4096))
            self.assertEqual(e["map_page_sha256_hex"], want, e["map_path"])
            checked += 1
        self.assertGreaterEqual(checked, 3)

    def test_aslr_off_by_default_gives_the_same_addresses(self):
        a, _ = self.mmaps(name="a.bin")
        b, _ = self.mmaps(name="b.bin")
        self.assertEqual([e["retval"] for e in a], [e["retval"] for e in b])
        c, _ = self.mmaps(opts=["--aslr"], name="c.bin")
        d, _ = self.mmaps(opts=["--aslr"], name="d.bin")
        self.assertNotEqual([e["retval"] for e in c], [e["retval"] for e in d])

    def test_pinned_by_default(self):
        p, path = record(self.tmp, ["/bin/true"])
        self.assertTrue(read_pb(path).metadata.pinned)
        p, path = record(self.tmp, ["/bin/true"], opts=["--no-pin"], out_name="n.bin")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertFalse(read_pb(path).metadata.pinned)

    def test_version_names_the_release(self):
        p, path = record(self.tmp, ["/bin/true"])
        version = read_pb(path).metadata.version
        vfile = os.path.join(os.getcwd(), "VERSION")
        if os.path.exists(vfile):
            with open(vfile) as f:
                self.assertIn(f.read().strip(), version)
        self.assertRegex(version, r"\(.+\)")  # and the commit
