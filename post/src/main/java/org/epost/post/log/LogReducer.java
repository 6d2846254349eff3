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

    /**
     * The state for this peer's cached view, in two parts: the head, opened and decoded when the log opens, and the
     * body, opened a segment at a time as the state reads it. A reducer whose state is small keeps it all in the head.
     */
    default Parts encodeParts(S state) {
        return new Parts(encode(state), new byte[0]);
    }

    /**
     * Reads what {@link #encodeParts} made; {@code body} may be read later, from any thread, and may then throw
     * {@link BrokenViewException}.
     *
     * @throws IllegalArgumentException when the parts are not an encoding of this reducer's state
     */
    default S decodeParts(byte[] head, StateBody body) {
        if (body.length() != 0) {
            throw new IllegalArgumentException("this reducer keeps its whole state in the head");
        }
        return decode(head);
    }

    /**
     * Whether {@code reduce} never changes the state it is given (it returns a new one), so that a state may be
     * encoded later on another thread, e.g. for a cached view saved in the background. False by default: the
     * contract lets {@code reduce} mutate its argument.
     */
    default boolean keepsStates() {
        return false;
    }

    /** A state split for a cached view: see {@link #encodeParts}. */
    record Parts(byte[] head, byte[] body) {
    }
}
