package org.epost.peer.config;

import java.io.IOException;
import java.nio.file.Files;
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
import org.epost.post.accounts.OrganizationUserAuthority;

/**
 * The {@code post.*} keys of epost.properties: which mail domains are ePOST domains (their users get POST accounts),
 * where the organization's user CA is (its public key; its private key only on peers that certify their users), and the secret that seals users' private keys
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
        // Needed only with user-ca.key in post.authority (checked when the key is loaded, userAuthority()).
        String password = properties.getString(AUTHORITY_PASSWORD, "");
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

    /**
     * The user CA with its private key when {@code user-ca.key} is in the authority directory: this peer certifies
     * its users itself. Empty on a peer without it, whose users wait for a certificate the admin issues offline.
     */
    public Optional<OrganizationUserAuthority> userAuthority() throws IOException {
        if (!Files.exists(authority.resolve(OrganizationUserAuthority.KEY_FILE))) {
            return Optional.empty();
        }
        if (authorityPassword.length == 0) {
            throw new IOException(AUTHORITY_PASSWORD + " is required with "
                + authority.resolve(OrganizationUserAuthority.KEY_FILE));
        }
        return Optional.of(OrganizationUserAuthority.load(authority, authorityPassword));
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
