package org.epost.peer.directory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The users deleted in James whose ePOST account this peer still keeps for the grace period ({@code
 * post.account.grace}), with when they were deleted: in the peer's directory store (synced writes), so a restart
 * neither forgets a pending deletion nor gives up keys early. Value: canonical CBOR {@code [1, deletedAtMillis]}.
 */
@Singleton
public class DeletedUsers {
    private static final int FORMAT_VERSION = 1;

    private final PeerDirectoryStore store;

    @Inject
    public DeletedUsers(PeerDirectoryStore store) {
        this.store = store;
    }

    public void mark(Username user, Instant deletedAt) {
        store.put(PeerDirectoryStore.Table.DELETED_USERS, user.asString(),
            CborRecordWriter.versioned(FORMAT_VERSION, 1, 16).number(deletedAt.toEpochMilli()).end().toBytes());
    }

    /** Forgets the mark (the user was added again, or its account was given up); false if there was none. */
    public boolean unmark(Username user) {
        boolean marked = store.get(PeerDirectoryStore.Table.DELETED_USERS, user.asString()).isPresent();
        store.delete(PeerDirectoryStore.Table.DELETED_USERS, user.asString());
        return marked;
    }

    public Optional<Instant> deletedAt(Username user) {
        return store.get(PeerDirectoryStore.Table.DELETED_USERS, user.asString()).map(DeletedUsers::decode);
    }

    /** Every marked user and when it was deleted, by name. */
    public Map<Username, Instant> all() {
        Map<Username, Instant> marked = new LinkedHashMap<>();
        for (String name : store.keys(PeerDirectoryStore.Table.DELETED_USERS)) {
            store.get(PeerDirectoryStore.Table.DELETED_USERS, name)
                .ifPresent(value -> marked.put(Username.of(name), decode(value)));
        }
        return marked;
    }

    private static Instant decode(byte[] value) {
        return Instant.ofEpochMilli(CborRecordReader.decodeCanonical(value, "deletion mark",
            (oversized, message, cause) -> new DirectoryStoreException("unreadable deletion mark: " + message, cause),
            reader -> {
                reader.beginRecord(FORMAT_VERSION, "deletion mark");
                long millis = reader.nonNegative("deleted at");
                reader.endArray();
                return millis;
            }, millis -> CborRecordWriter.versioned(FORMAT_VERSION, 1, 16).number(millis).end().toBytes()));
    }
}
