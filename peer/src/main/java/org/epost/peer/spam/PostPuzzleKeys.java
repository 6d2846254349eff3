package org.epost.peer.spam;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.peer.mail.PostReadiness;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.spam.mail.PuzzleKeys;

/** The puzzles' signing keys from this peer's POST accounts: the key vault for its users, PAST for anyone else. */
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

    @Override
    public CompletableFuture<PublicKey> certified(String user) {
        return post.services().thenCompose(services -> services.accounts().lookupCertificate(user))
            .thenApply(UserCertificate::signingKey);
    }
}
