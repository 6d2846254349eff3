package org.epost.durability.glacier;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.epost.overlay.id.Id;

/** The (object, index) pairs audits compare, and their digest: SHA-256 over the sorted pairs. */
final class AuditEntries {
    record Entry(Id handle, int index, long expiry) {
        static final Comparator<Entry> ORDER = Comparator.comparing(Entry::handle).thenComparingInt(Entry::index);
    }

    private AuditEntries() {
    }

    /** The pairs of the n-fragment objects this node holds in [from, to), shifted back by {@code offset} indexes. */
    static List<Entry> held(LocalFragments local, int n, int offset, Id from, Id to) {
        List<Entry> entries = new ArrayList<>();
        for (LocalFragments.Held held : local.inArc(from, to)) {
            if (held.n() == n) {
                entries.add(new Entry(held.handle(), Math.floorMod(held.index() - offset, n), held.expiry()));
            }
        }
        entries.sort(Entry.ORDER);
        return entries;
    }

    static byte[] digest(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Entry.ORDER);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Entry entry : sorted) {
                digest.update(entry.handle().toBytes());
                digest.update(ByteBuffer.allocate(4).putInt(entry.index()).array());
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
