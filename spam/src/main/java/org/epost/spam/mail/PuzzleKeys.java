package org.epost.spam.mail;

import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The signing keys a puzzle is bound to, as this peer knows them (the peer's account service, once POST runs). */
public interface PuzzleKeys {
    /** The signing key of {@code user}, homed on this peer; empty when not (or POST is not running). */
    Optional<PublicKey> local(String user);

    /** The certified signing key of any ePOST user and the puzzle base their identity block publishes (PAST). */
    CompletableFuture<PuzzleRecipient> recipient(String user);
}
