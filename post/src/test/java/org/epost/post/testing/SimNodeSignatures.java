package org.epost.post.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.epost.overlay.id.Id;
import org.epost.post.notify.NodeSignatures;

/**
 * Node keys for a simulated ring, whose node ids are not derived from keys and have no certificates: a {@link Keyring}
 * shared by the ring plays the organization CA (it knows which Ed25519 key belongs to which node id), and each node
 * signs with its own key, seeded from its id so that a run replays exactly. The credential is the encoded public key,
 * accepted only if it is the one the keyring holds for the signer.
 */
public final class SimNodeSignatures implements NodeSignatures {
    private final KeyPair keys;
    private final Keyring keyring;

    /** Which key belongs to which node id: the simulated ring's stand-in for its node certificates. */
    public static final class Keyring {
        private final Map<Id, PublicKey> keys = new HashMap<>();

        /** Node {@code id}'s signatures (a key made and registered for it on first use). */
        public SimNodeSignatures of(Id id) {
            KeyPair pair = generate(id);
            keys.put(id, pair.getPublic());
            return new SimNodeSignatures(pair, this);
        }

        /** Signatures by a key nobody registered: what a node forging another's acks would have. */
        public SimNodeSignatures unregistered(Id seed) {
            return new SimNodeSignatures(generate(Id.hash("unregistered-" + seed.toHex())), this);
        }
    }

    private SimNodeSignatures(KeyPair keys, Keyring keyring) {
        this.keys = keys;
        this.keyring = keyring;
    }

    @Override
    public byte[] credential() {
        return keys.getPublic().getEncoded();
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean verify(Id signer, byte[] credential, byte[] data, byte[] signature) {
        PublicKey key = keyring.keys.get(signer);
        if (key == null || credential == null || !Arrays.equals(key.getEncoded(), credential) || data == null
                || signature == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static KeyPair generate(Id seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed.toBytes());
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has Ed25519 and SHA1PRNG", e);
        }
    }
}
