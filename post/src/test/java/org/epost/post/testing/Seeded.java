package org.epost.post.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Random;

/** Reproducible test inputs: the same seed gives the same bytes, random source and key pair on every run. */
public final class Seeded {
    private Seeded() {
    }

    /** {@code size} bytes of {@code new Random(seed)}. */
    public static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A {@link SecureRandom} (SHA1PRNG) that yields the same sequence for the same seed. */
    public static SecureRandom secureRandom(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Ed25519 key pair of {@code seed}. */
    public static KeyPair ed25519(long seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, secureRandom(seed));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
