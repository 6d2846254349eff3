package org.epost.overlay.past.block;

/**
 * Size bounds on blocks. Everything a verifier reads is bounded by these before anything is allocated for it.
 *
 * @param maxContentBytes  content of a content-hash block, payload of a public-key block (DESIGN.md: 1 MiB; larger
 *                         MIME parts are chunked above this layer)
 * @param maxLabelBytes    UTF-8 bytes of a public-key block's label
 * @param maxNameBytes     UTF-8 bytes of a certificate's name
 * @param maxCertifiedKeys public keys in one certificate
 * @param maxKeyBytes      bytes of one certified (X.509-encoded) public key
 */
public record BlockLimits(int maxContentBytes, int maxLabelBytes, int maxNameBytes, int maxCertifiedKeys,
                          int maxKeyBytes) {
    public static final int DEFAULT_MAX_CONTENT_BYTES = 1 << 20;

    /** Room for everything but content/payload in an encoding: format version, kind, key, label, signature... */
    static final int ENVELOPE_OVERHEAD_BYTES = 4096;

    public static final BlockLimits DEFAULT = new BlockLimits(DEFAULT_MAX_CONTENT_BYTES, 256, 512, 8, 1024);

    public BlockLimits {
        if (maxContentBytes <= 0 || maxLabelBytes <= 0 || maxNameBytes <= 0 || maxCertifiedKeys <= 0
                || maxKeyBytes <= 0) {
            throw new IllegalArgumentException("Block limits must be positive");
        }
    }

    public static BlockLimits withMaxContentBytes(int maxContentBytes) {
        return new BlockLimits(maxContentBytes, DEFAULT.maxLabelBytes, DEFAULT.maxNameBytes,
                DEFAULT.maxCertifiedKeys, DEFAULT.maxKeyBytes);
    }

    /** No valid encoding is longer than this; longer input is refused before it is parsed. */
    public int maxEncodedBytes() {
        return maxContentBytes + ENVELOPE_OVERHEAD_BYTES + maxNameBytes + maxCertifiedKeys * (maxKeyBytes + 8);
    }
}
