package com.flowbridge.capture;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What FLOW last answered for each scope of a polled entity (each session's registrants), once compared and published:
 * a fingerprint (SHA-256) of the answer, and a checksum of what flow-bridge then remembered for the scope. When the next
 * answer has the same fingerprint and the remembered entities the same checksum, comparing again can only find nothing,
 * so the answer is not even parsed: that is what keeps a cycle in which nothing changed cheap. Anything else (a different
 * answer, entities read back differently after a failed publish) is compared in full. Kept in memory only: after a
 * restart the first cycle compares everything.
 */
final class LastAnswers {

    private final ConcurrentMap<String, Answer> bySession = new ConcurrentHashMap<>();

    /** The answer last compared for a scope, and what it held. */
    record Answer(String fingerprint, long rememberedChecksum, int items, int duplicates, int withoutId) {
    }

    /** SHA-256 over the answer's characters, fed through a small buffer rather than a copy of the whole answer. */
    static String fingerprint(String body) {
        MessageDigest digest = CloudEvents.sha256();
        byte[] chunk = new byte[4096];
        int filled = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            chunk[filled++] = (byte) (c >>> 8);
            chunk[filled++] = (byte) c;
            if (filled == chunk.length) {
                digest.update(chunk, 0, filled);
                filled = 0;
            }
        }
        digest.update(chunk, 0, filled);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The last answer, if {@code fingerprint} is its fingerprint and {@code remembered} is still what it led to; else null. */
    Answer unchanged(String token, String fingerprint, Map<String, byte[]> remembered) {
        Answer last = bySession.get(token);
        return last != null && last.fingerprint().equals(fingerprint) && last.rememberedChecksum() == checksum(remembered)
            ? last : null;
    }

    /** The answer last compared for a scope, or null. */
    Answer last(String token) {
        return bySession.get(token);
    }

    /** Notes an answer once its changes are published and {@code remembered} holds them. */
    void remember(ScopeRead read, Map<String, byte[]> remembered) {
        bySession.put(read.scope(), new Answer(read.fingerprint(), checksum(remembered), read.items().size(), read.duplicates(),
            read.withoutId()));
    }

    void forget(String token) {
        bySession.remove(token);
    }

    /** Forgets the scopes no longer read. */
    void retainOnly(Collection<String> tokens) {
        bySession.keySet().retainAll(tokens);
    }

    /** An order-independent 64-bit checksum of remembered documents by id. */
    static long checksum(Map<String, byte[]> remembered) {
        // forEach rather than entrySet(): no entry object per registrant, on every session of every cycle.
        long[] sum = {remembered.size()};
        remembered.forEach((id, document) -> sum[0] += mix(id.hashCode() * 0x9E3779B97F4A7C15L ^ hash(document)));
        return sum[0];
    }

    /** FNV-1a, 64 bits. */
    private static long hash(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }

    /** MurmurHash3's finaliser: spreads every input bit over the whole result. */
    private static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
