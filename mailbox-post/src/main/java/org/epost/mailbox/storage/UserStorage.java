package org.epost.mailbox.storage;

import java.util.Objects;

import org.epost.post.accounts.UserKeys;
import org.epost.post.blocks.BlockService;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogViewStore;
import org.epost.post.message.MessageStore;

/**
 * What the backend needs to keep one user's mailboxes: the owner's keys (Ed25519 signs the log heads, X25519 opens
 * the log keys), the block service the logs live in, the local view store (the home peer's materialized views), the
 * message store the contents go through, and the log tuning.
 *
 * @param takeOverWriters whether this process may take over a log whose previous writer's lease is still live when
 *                        it first opens it (true on the user's home peer, whose previous run is known dead; a writer
 *                        that later loses its log to another one is never taken back automatically)
 */
public record UserStorage(UserKeys keys, BlockService blocks, LogViewStore views, MessageStore messages,
                          LogConfig logConfig, boolean takeOverWriters) {
    public UserStorage {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(views, "views");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(logConfig, "logConfig");
    }
}
