package org.epost.overlay.past.block;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The blocks whose signature a {@link BlockVerifier} already found valid, by the SHA-256 of their encoded bytes, the
 * most recently used kept. A signature's validity is a function of those bytes alone (and of the verifier's fixed CA
 * key), so the same bytes seen again need no second Ed25519 verification: the same certificate and log heads are
 * fetched, served and checked on every delivery, and a verification costs far more than hashing the block.
 */
final class VerifiedSignatures {
    private final int capacity;
    private final Map<ByteBuffer, Boolean> digests;

    VerifiedSignatures(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative capacity " + capacity);
        }
        this.capacity = capacity;
        this.digests = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > VerifiedSignatures.this.capacity;
            }
        };
    }

    static ByteBuffer digestOf(byte[] raw) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    synchronized boolean contains(ByteBuffer digest) {
        return digests.get(digest) != null;
    }

    synchronized void add(ByteBuffer digest) {
        if (capacity > 0) {
            digests.put(digest, Boolean.TRUE);
        }
    }

    synchronized int size() {
        return digests.size();
    }
}
