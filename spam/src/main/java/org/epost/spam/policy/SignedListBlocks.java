package org.epost.spam.policy;

import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.blocks.BlockService;

/**
 * What published block lists and team lists share: a user's list is a public-key block under their certified signing
 * key, versioned. A version found in PAST counts only when its key is the one the user's certificate certifies, it is
 * the block of the expected label, and its payload is at most the bytes peers accept; a new version is the one after
 * the newest found, signed with the user's own key.
 */
final class SignedListBlocks {
    private SignedListBlocks() {
    }

    static BlockKey keyOf(PublicKey signingKey, String label) {
        return new BlockKey(PublicKeyBlock.handleFor(signingKey, label), BlockKind.PUBLIC_KEY);
    }

    /** A found version: its number and decoded payload when it counts, else why it does not. */
    record Checked<T>(long version, Optional<T> payload, Optional<String> rejection) {
        static <T> Checked<T> rejected(String why) {
            return new Checked<>(-1, Optional.empty(), Optional.of(why));
        }
    }

    /**
     * Checks a found {@code block} is {@code certificate}'s user's block {@code label}, decodes its payload and checks
     * it names what was looked up ({@code mismatch} says why not, or is empty).
     */
    static <T> Checked<T> check(Block block, UserCertificate certificate, String label, int maxBytes,
                                Function<byte[], T> decode, Function<T, Optional<String>> mismatch) {
        Optional<String> rejected = rejection(block, certificate, label, maxBytes);
        if (rejected.isPresent()) {
            return Checked.rejected(rejected.get());
        }
        PublicKeyBlock signed = (PublicKeyBlock) block;
        try {
            T decoded = decode.apply(signed.payload());
            return mismatch.apply(decoded).map(Checked::<T>rejected)
                .orElseGet(() -> new Checked<>(signed.version(), Optional.of(decoded), Optional.empty()));
        } catch (SpamFormatException e) {
            return Checked.rejected("version " + signed.version() + " is malformed: " + e.getMessage());
        }
    }

    /** Why {@code block} is not {@code certificate}'s user's block {@code label}; empty when it is. */
    private static Optional<String> rejection(Block block, UserCertificate certificate, String label, int maxBytes) {
        if (!(block instanceof PublicKeyBlock signed)) {
            return Optional.of("not a public-key block but " + block.kind());
        }
        if (!signed.publicKey().equals(certificate.signingKey())) {
            return Optional.of("signed by a key the certificate of " + certificate.address() + " does not certify");
        }
        if (!signed.label().equals(label) || !signed.handle().equals(keyOf(certificate.signingKey(), label)
                .handle())) {
            return Optional.of("a block labelled " + signed.label() + ", not " + label);
        }
        if (signed.payload().length > maxBytes) {
            return Optional.of("version " + signed.version() + " is " + signed.payload().length
                + " bytes, more than the " + maxBytes + " accepted");
        }
        return Optional.empty();
    }

    /**
     * Stores the next version of {@code signer}'s block {@code label}: its payload computed from the newest version
     * found (empty when none), so a change is made to what was last published.
     *
     * @param next the payload of the next version given the current one's payload; throws to store nothing
     */
    static CompletableFuture<Long> publishNext(BlockService service, UserKeys signer, String label, int maxBytes,
                                               long leaseExpiryMillis, Function<Optional<byte[]>, byte[]> next) {
        BlockKey key = keyOf(signer.signingPublicKey(), label);
        return service.lookup(key).thenCompose(found -> {
            Optional<PublicKeyBlock> current = found.filter(PublicKeyBlock.class::isInstance)
                .map(PublicKeyBlock.class::cast);
            byte[] payload = next.apply(current.map(PublicKeyBlock::payload));
            if (payload.length > maxBytes) {
                throw new IllegalArgumentException("the block " + label + " would be " + payload.length
                    + " bytes encoded; peers accept at most " + maxBytes);
            }
            long version = current.map(b -> b.version() + 1).orElse(0L);
            PublicKeyBlock block = PublicKeyBlock.sign(signer.signing(), label, version, payload);
            return service.insert(block, leaseExpiryMillis).thenApply(result -> {
                if (!result.isSuccess()) {
                    throw new IllegalStateException(label + " v" + version + " was not stored: " + result.status()
                        + " " + result.detail());
                }
                return version;
            });
        });
    }
}
