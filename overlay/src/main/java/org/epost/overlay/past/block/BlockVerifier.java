package org.epost.overlay.past.block;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Objects;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks untrusted bytes against the handle they were asked for or offered under, and returns the typed block or
 * the reason it is refused. Every node runs every block it stores, serves or fetches through here.
 *
 * <p>Bad input never throws: anything but a valid block comes back as a {@link Verification} with a
 * {@link RejectionReason} (only null arguments, a programming error, throw). Rejections are logged at WARN.
 *
 * <p>Stateless apart from its configuration and a cache of signatures already found valid ({@link VerifiedSignatures}:
 * the same bytes are never verified twice while remembered), so one instance can be shared by all threads.
 */
public final class BlockVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(BlockVerifier.class);

    private final PublicKey certificateAuthority;
    private final Clock clock;
    private final BlockLimits limits;
    private final long clockSkewMillis;
    private final VerifiedSignatures verified = new VerifiedSignatures(VERIFIED_SIGNATURES);
    /** Signatures remembered: a few thousand certificates and log heads, 32 bytes of digest each. */
    static final int VERIFIED_SIGNATURES = 8192;

    /**
     * @param certificateAuthority the Ed25519 key certificate blocks must be signed with
     * @param clock                decides whether a certificate has expired
     * @param clockSkewMillis      how far peers' clocks may differ; a certificate stays valid this long past notAfter
     */
    public BlockVerifier(PublicKey certificateAuthority, Clock clock, BlockLimits limits, long clockSkewMillis) {
        this.certificateAuthority = Objects.requireNonNull(certificateAuthority, "certificateAuthority");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        if (clockSkewMillis < 0) {
            throw new IllegalArgumentException("Negative clock skew");
        }
        this.clockSkewMillis = clockSkewMillis;
    }

    /** Verifies {@code raw} as the block of any kind named {@code expectedHandle}. */
    public Verification verify(byte[] raw, Id expectedHandle) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(expectedHandle, "expectedHandle");
        Verification result = check(raw, expectedHandle);
        if (!result.isValid()) {
            LOG.warn("Rejected block {}: {} ({})", expectedHandle, result.reason().orElseThrow(), result.detail());
        }
        return result;
    }

    /** Verifies {@code raw} as the block {@code expected}: also of the expected kind. */
    public Verification verify(byte[] raw, BlockKey expected) {
        Verification result = verify(raw, expected.handle());
        if (result.isValid() && result.block().kind() != expected.kind()) {
            LOG.warn("Rejected block {}: {} ({} instead)", expected, RejectionReason.UNEXPECTED_KIND,
                    result.block().kind());
            return Verification.rejected(RejectionReason.UNEXPECTED_KIND,
                    "expected " + expected.kind() + " but got " + result.block().kind());
        }
        return result;
    }

    /**
     * Whether {@code block} was built in this process rather than decoded from bytes ({@link PublicKeyBlock#sign},
     * {@link ContentHashBlock#of}), and so is valid by construction and need not be verified before it is inserted.
     * A signed one is also remembered as verified: this node's own replica of it then skips the Ed25519 check. A
     * block decoded from anything received is never taken for one.
     */
    public boolean rememberOwn(Block block) {
        if (block instanceof ContentHashBlock content) {
            return content.builtHere();
        }
        if (block instanceof PublicKeyBlock signed && signed.signedHere()) {
            verified.add(VerifiedSignatures.digestOf(signed.encodedWithoutCopy()));
            return true;
        }
        return false;
    }

    public BlockLimits limits() {
        return limits;
    }

    public long clockSkewMillis() {
        return clockSkewMillis;
    }

    private Verification check(byte[] raw, Id expectedHandle) {
        Block block;
        try {
            block = BlockCodec.decode(raw, limits);
        } catch (MalformedBlockException e) {
            return Verification.rejected(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            // A defensive boundary: whatever a parser does with hostile bytes, the caller only sees a rejection.
            return Verification.rejected(RejectionReason.MALFORMED, "undecodable: " + e);
        }
        if (block instanceof ContentHashBlock) {
            return checkContentHash((ContentHashBlock) block, expectedHandle);
        }
        ByteBuffer digest = VerifiedSignatures.digestOf(raw);
        boolean signatureKnownValid = verified.contains(digest);
        Verification result = block instanceof PublicKeyBlock
            ? checkPublicKey((PublicKeyBlock) block, expectedHandle, signatureKnownValid)
            : checkCertificate((CertificateBlock) block, expectedHandle, signatureKnownValid);
        if (result.isValid() && !signatureKnownValid) {
            verified.add(digest);
        }
        return result;
    }

    /** Signatures remembered as valid now (tests). */
    int verifiedSignatures() {
        return verified.size();
    }

    private static Verification checkContentHash(ContentHashBlock block, Id expectedHandle) {
        if (!block.handle().equals(expectedHandle)) {
            return Verification.rejected(RejectionReason.CONTENT_HASH_MISMATCH,
                    "content hashes to " + block.handle());
        }
        return Verification.valid(block);
    }

    private static Verification checkPublicKey(PublicKeyBlock block, Id expectedHandle, boolean signatureKnownValid) {
        if (!block.handle().equals(expectedHandle)) {
            return Verification.rejected(RejectionReason.WRONG_HANDLE, "key and label hash to " + block.handle());
        }
        if (!signatureKnownValid && !block.hasValidSignature()) {
            return Verification.rejected(RejectionReason.BAD_SIGNATURE,
                    "not signed by the block's key (label " + block.label() + ", v" + block.version() + ")");
        }
        return Verification.valid(block);
    }

    private Verification checkCertificate(CertificateBlock block, Id expectedHandle, boolean signatureKnownValid) {
        if (!block.handle().equals(expectedHandle)) {
            return Verification.rejected(RejectionReason.WRONG_HANDLE, "name hashes to " + block.handle());
        }
        if (!signatureKnownValid && !block.isSignedBy(certificateAuthority)) {
            return Verification.rejected(RejectionReason.BAD_SIGNATURE, "not signed by the CA: " + block.name());
        }
        if (block.isExpiredAt(clock.now(), clockSkewMillis)) {
            return Verification.rejected(RejectionReason.EXPIRED_CERTIFICATE,
                    block.name() + " expired at " + block.notAfter());
        }
        return Verification.valid(block);
    }
}
