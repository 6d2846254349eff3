package org.epost.peer.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.post.accounts.KeyVault;

/**
 * The {@code post.*} keys of epost.properties: which mail domains are ePOST domains (their users get POST accounts),
 * where the organization's user CA is (to certify this peer's users), and the secret that seals users' private keys
 * at rest. Keep epost.properties (under conf/) apart from backups of var/: the secret is what makes a stolen copy
 * of the key vault useless.
 */
public record PostSettings(Set<String> domains, Path authority, char[] authorityPassword, byte[] vaultSecret) {
    public static final String DOMAINS = "post.domains";
    public static final String AUTHORITY = "post.authority";
    public static final String AUTHORITY_PASSWORD = "post.authority.password";
    public static final String VAULT_SECRET = "post.vault.secret";
    public static final List<String> KEYS = List.of(DOMAINS, AUTHORITY, AUTHORITY_PASSWORD, VAULT_SECRET);
    static final String DEFAULT_AUTHORITY = "conf/epost-authority";

    /** Empty when no ePOST domain is configured. */
    public static Optional<PostSettings> from(Configuration properties, Path workingDirectory, boolean overlayEnabled)
            throws ConfigurationException {
        Set<String> domains = Arrays.stream(properties.getStringArray(DOMAINS))
            .flatMap(value -> Arrays.stream(value.split(",")))
            .map(value -> value.trim().toLowerCase(Locale.ROOT))
            .filter(value -> !value.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
        if (domains.isEmpty()) {
            return Optional.empty();
        }
        if (!overlayEnabled) {
            throw new ConfigurationException(DOMAINS + " needs the overlay: set overlay.enabled=true and its keys");
        }
        String password = properties.getString(AUTHORITY_PASSWORD, "");
        if (password.isEmpty()) {
            throw new ConfigurationException(AUTHORITY_PASSWORD + " is required when " + DOMAINS + " is set");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(properties.getString(VAULT_SECRET, "").trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(VAULT_SECRET + " must be base64");
        }
        if (secret.length < KeyVault.MIN_SECRET_BYTES) {
            throw new ConfigurationException(VAULT_SECRET + " must be at least " + KeyVault.MIN_SECRET_BYTES
                + " random bytes in base64 (e.g. head -c 32 /dev/urandom | base64)");
        }
        Path authority = workingDirectory.resolve(properties.getString(AUTHORITY, DEFAULT_AUTHORITY).trim()).normalize();
        return Optional.of(new PostSettings(domains, authority, password.toCharArray(), secret));
    }

    /** Whether users of {@code domain} are ePOST users. */
    public boolean isEpostDomain(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "PostSettings{domains=" + domains + ", authority=" + authority + "}";
    }
}
