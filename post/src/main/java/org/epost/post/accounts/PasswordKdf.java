package org.epost.post.accounts;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106, version 0x13, Bouncy Castle's {@link Argon2BytesGenerator}) parameters for the optional
 * password slot of a {@link RecoveryEnvelope}. The envelope is public (anyone can fetch it from PAST and guess
 * passwords offline), so the cost must be high: the default is RFC 9106's second recommended option, 64 MiB of
 * memory, 3 passes, 4 lanes (Bouncy Castle runs the lanes one after the other: 1.3 to 5.4 s per derivation on
 * this shared 2-core machine at a load of 15 to 25). The parameters travel in the envelope, so they
 * can be raised later without breaking older envelopes; a reader refuses values outside the bounds below (a forged
 * envelope must not make the opening peer allocate gigabytes).
 *
 * @param memoryKiB   memory in KiB (at least 8 per lane, at most {@value #MAX_MEMORY_KIB})
 * @param iterations  passes over the memory (1 to {@value #MAX_ITERATIONS})
 * @param parallelism lanes (1 to {@value #MAX_PARALLELISM})
 */
public record PasswordKdf(int memoryKiB, int iterations, int parallelism) {
    public static final int MAX_MEMORY_KIB = 1 << 20;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;
    public static final int SALT_BYTES = 16;

    public PasswordKdf {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                || memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id parameters out of bounds: memory " + memoryKiB + " KiB, "
                    + iterations + " passes, " + parallelism + " lanes");
        }
    }

    /** RFC 9106's second recommended option: m = 64 MiB, t = 3, p = 4. */
    public static PasswordKdf defaults() {
        return new PasswordKdf(64 * 1024, 3, 4);
    }

    /** {@code length} bytes derived from {@code password} and {@code salt}. */
    byte[] derive(char[] password, byte[] salt, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withMemoryAsKB(memoryKiB)
                .withIterations(iterations).withParallelism(parallelism).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
