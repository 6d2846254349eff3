package org.epost.peer.spam;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.peer.mail.PostReadiness;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.UserKeys;
import org.epost.spam.mail.PuzzleKeys;
import org.epost.spam.mail.PuzzleRecipient;

/**
 * The puzzles' signing keys from this peer's POST accounts: the key vault for its users, PAST (the identity block and
 * the certificate it is checked against) for anyone else, with the puzzle base their identity publishes.
 */
final class PostPuzzleKeys implements PuzzleKeys {
    private final PostReadiness post;

    PostPuzzleKeys(PostReadiness post) {
        this.post = Objects.requireNonNull(post, "post");
    }

    @Override
    public Optional<PublicKey> local(String user) {
        return post.ifRunning().flatMap(services -> {
            try {
                return services.accounts().keys(user).map(UserKeys::signingPublicKey);
            } catch (KeyVaultException e) {
                throw new IllegalStateException("cannot read the keys of " + user + ": " + e.getMessage(), e);
            }
        });
    }

    /** The identity block, verified against the certificate: its key is the certified one. */
    @Override
    public CompletableFuture<PuzzleRecipient> recipient(String user) {
        return post.services().thenCompose(services -> services.accounts().lookupIdentity(user))
            .thenApply(identity -> new PuzzleRecipient(identity.block().publicKey(), identity.contents().puzzleBits()));
    }
}
