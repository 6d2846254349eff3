package org.epost.spam.mail;

import java.security.PublicKey;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a sending peer needs of a recipient before it solves a first-contact puzzle, from the recipient's identity
 * block: their certified signing key (the puzzle binds it) and the base difficulty their home peer publishes (empty:
 * an identity block of format 1, the protocol's default).
 */
public record PuzzleRecipient(PublicKey signingKey, OptionalInt publishedBits) {
    public PuzzleRecipient {
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(publishedBits, "publishedBits");
    }
}
