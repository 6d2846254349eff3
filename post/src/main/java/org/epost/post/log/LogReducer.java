package org.epost.post.log;

/**
 * The materialized-view hook: folds records into a state, and encodes that state for snapshots and the local cache.
 * For a mail folder the state is the folder's message table (UIDs, flags, MODSEQ, ...); the log layer never looks
 * inside it.
 *
 * <p>Contract: {@code reduce} is deterministic and depends only on the state and the record, so that a snapshot plus
 * the records after it gives the same state as a full replay; {@code decode(encode(s))} is equivalent to {@code s}.
 * {@code reduce} may mutate and return its argument.
 */
public interface LogReducer<S> {

    /** The state of an empty log. */
    S initial();

    S reduce(S state, LogRecord record);

    byte[] encode(S state);

    /** @throws IllegalArgumentException when {@code bytes} is not an encoding of this reducer's state */
    S decode(byte[] bytes);
}
