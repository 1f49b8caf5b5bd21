package dev.tally.verify;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helper: a log whose stored hashes live in an ArrayList, written via StoredHashes.appendHashes. */
final class MemoryLog implements HashReader {
    /** The eight leaf inputs of the RFC 6962 / transparency-dev reference tree. */
    static final List<byte[]> RFC_LEAVES = List.of(
            hex(""),
            hex("00"),
            hex("10"),
            hex("2021"),
            hex("3031"),
            hex("40414243"),
            hex("5051525354555657"),
            hex("606162636465666768696a6b6c6d6e6f"));

    final List<byte[]> leafInputs = new ArrayList<>();
    final List<byte[]> stored = new ArrayList<>();
    int reads;

    static MemoryLog of(List<byte[]> leafInputs) {
        MemoryLog log = new MemoryLog();
        leafInputs.forEach(log::append);
        return log;
    }

    void append(byte[] leafInput) {
        long n = leafInputs.size();
        if (stored.size() != StoredHashes.storedHashIndex(0, n)) {
            throw new AssertionError("stored hash layout out of step at leaf " + n);
        }
        stored.addAll(StoredHashes.appendHashes(n, Hashes.leafHash(leafInput), i -> stored.get((int) i)));
        leafInputs.add(leafInput);
    }

    long size() {
        return leafInputs.size();
    }

    @Override
    public List<byte[]> readHashes(long[] indexes) {
        reads++;
        List<byte[]> out = new ArrayList<>(indexes.length);
        for (long i : indexes) {
            out.add(stored.get((int) i).clone());
        }
        return out;
    }

    List<byte[]> prefix(int size) {
        return leafInputs.subList(0, size);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
