package org.epost.spam.puzzle;

import java.nio.ByteBuffer;
import java.security.PublicKey;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * What a puzzle is bound to: BLAKE2b-256 over the sender's and the recipient's signing keys, the notification id and
 * its date (each length-prefixed). Solved for one notification, a puzzle fails for any other recipient, sender,
 * notification or date; the date also lets the verifier refuse old puzzles.
 */
public final class PuzzleSeed {
    private static final byte[] PERSONAL = EquihashHashes.personal("epost-puzzle-in1");

    private PuzzleSeed() {
    }

    public static byte[] of(PublicKey sender, PublicKey recipient, byte[] notificationId, long date) {
        byte[] from = sender.getEncoded();
        byte[] to = recipient.getEncoded();
        ByteBuffer in = ByteBuffer.allocate(12 + from.length + to.length + notificationId.length + 8)
            .putInt(from.length).put(from).putInt(to.length).put(to).putInt(notificationId.length).put(notificationId)
            .putLong(date);
        Blake2bDigest digest = new Blake2bDigest(null, 32, null, PERSONAL);
        digest.update(in.array(), 0, in.capacity());
        byte[] seed = new byte[32];
        digest.doFinal(seed, 0);
        return seed;
    }
}
