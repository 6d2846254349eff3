package org.epost.peer.config;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * The peer's settings from {@code conf/epost.properties}. Unknown keys are refused rather than ignored: a mistyped
 * key in a mail server's config should stop the start with a clear message, not silently fall back to a default.
 */
public final class EpostConfiguration {
    public static final String FILE_NAME = "epost";
    public static final String PEER_NAME = "peer.name";
    public static final String DATA_DIR = "data.dir";
    static final String DEFAULT_DATA_DIR = "var/epost";

    private static final Set<String> KNOWN_KEYS = knownKeys();
    private static final Pattern PEER_NAME_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final String peerName;
    private final Path dataDirectory;
    private final Optional<OverlaySettings> overlay;
    private final Optional<PostSettings> post;
    private final DeliverySettings delivery;
    private final LeaseSettings lease;
    private final AccountSettings account;
    private final Optional<GlacierSettings> glacier;
    private final FairnessSettings fairness;
    private final SearchSettings search;

    public EpostConfiguration(String peerName, Path dataDirectory, Optional<OverlaySettings> overlay) {
        this(peerName, dataDirectory, overlay, Optional.empty());
    }

    public EpostConfiguration(String peerName, Path dataDirectory, Optional<OverlaySettings> overlay, Optional<PostSettings> post) {
        this(peerName, dataDirectory, overlay, post, DeliverySettings.defaults(), LeaseSettings.defaults());
    }

    public EpostConfiguration(String peerName, Path dataDirectory, Optional<OverlaySettings> overlay,
                              Optional<PostSettings> post, DeliverySettings delivery, LeaseSettings lease) {
        this(peerName, dataDirectory, overlay, post, delivery, lease, AccountSettings.defaults());
    }

    public EpostConfiguration(String peerName, Path dataDirectory, Optional<OverlaySettings> overlay,
                              Optional<PostSettings> post, DeliverySettings delivery, LeaseSettings lease,
                              AccountSettings account) {
        this(peerName, dataDirectory, overlay, post, delivery, lease, account, Optional.empty());
    }

    public EpostConfiguration(String peerName, Path dataDirectory, Optional<OverlaySettings> overlay,
                              Optional<PostSettings> post, DeliverySettings delivery, LeaseSettings lease,
                              AccountSettings account, Optional<GlacierSettings> glacier) {
        this(peerName, dataDirectory, overlay, post, delivery, lease, account, glacier, FairnessSettings.defaults());
    }

    public EpostConfiguration(String peerName, Path dataDirectory, Optional<OverlaySettings> overlay,
                              Optional<PostSettings> post, DeliverySettings delivery, LeaseSettings lease,
                              AccountSettings account, Optional<GlacierSettings> glacier, FairnessSettings fairness) {
        this(peerName, dataDirectory, overlay, post, delivery, lease, account, glacier, fairness,
            SearchSettings.defaults());
    }

    public EpostConfiguration(String peerName, Path dataDirectory, Optional<OverlaySettings> overlay,
                              Optional<PostSettings> post, DeliverySettings delivery, LeaseSettings lease,
                              AccountSettings account, Optional<GlacierSettings> glacier, FairnessSettings fairness,
                              SearchSettings search) {
        this.search = Objects.requireNonNull(search);
        this.fairness = Objects.requireNonNull(fairness);
        this.glacier = Objects.requireNonNull(glacier);
        this.account = Objects.requireNonNull(account);
        this.peerName = Objects.requireNonNull(peerName);
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.overlay = overlay;
        this.post = post;
        this.delivery = Objects.requireNonNull(delivery);
        this.lease = Objects.requireNonNull(lease);
    }

    private static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(List.of(PEER_NAME, DATA_DIR));
        keys.addAll(OverlaySettings.KEYS);
        keys.addAll(PostSettings.KEYS);
        keys.addAll(DeliverySettings.KEYS);
        keys.addAll(LeaseSettings.KEYS);
        keys.addAll(AccountSettings.KEYS);
        keys.addAll(GlacierSettings.KEYS);
        keys.addAll(SpamListSettings.KEYS);
        keys.addAll(PuzzleSettings.KEYS);
        keys.addAll(FairnessSettings.KEYS);
        keys.addAll(ImapScratchSettings.KEYS);
        keys.addAll(SearchSettings.KEYS);
        return Set.copyOf(keys);
    }

    /**
     * @param properties       the content of epost.properties (empty when the file is absent)
     * @param workingDirectory James's working directory, against which a relative data.dir is resolved
     * @param defaultPeerName  used when peer.name is not set (the host name)
     */
    public static EpostConfiguration from(Configuration properties, Path workingDirectory, String defaultPeerName)
            throws ConfigurationException {
        rejectUnknownKeys(properties);
        String peerName = properties.getString(PEER_NAME, "").trim();
        if (peerName.isEmpty()) {
            peerName = defaultPeerName;
        }
        if (!PEER_NAME_SYNTAX.matcher(peerName).matches()) {
            throw new ConfigurationException(PEER_NAME + " must be 1-63 letters, digits, '.', '_' or '-' and start with a"
                + " letter or digit; got '" + peerName + "'");
        }
        String dataDir = properties.getString(DATA_DIR, DEFAULT_DATA_DIR).trim();
        if (dataDir.isEmpty()) {
            throw new ConfigurationException(DATA_DIR + " must not be empty");
        }
        Optional<OverlaySettings> overlay = OverlaySettings.from(properties, workingDirectory);
        Optional<GlacierSettings> glacier = GlacierSettings.from(properties);
        if (glacier.isPresent() && overlay.isEmpty()) {
            throw new ConfigurationException(GlacierSettings.ENABLED + "=true needs " + OverlaySettings.ENABLED + "=true");
        }
        return new EpostConfiguration(peerName, workingDirectory.resolve(dataDir), overlay,
            PostSettings.from(properties, workingDirectory, overlay.isPresent()), DeliverySettings.from(properties),
            LeaseSettings.from(properties), AccountSettings.from(properties), glacier, FairnessSettings.from(properties),
            SearchSettings.from(properties));
    }

    private static void rejectUnknownKeys(Configuration properties) throws ConfigurationException {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> keys = properties.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KNOWN_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("Unknown keys in " + FILE_NAME + ".properties: " + unknown
                + "; known keys are " + new TreeSet<>(KNOWN_KEYS));
        }
    }

    public String peerName() {
        return peerName;
    }

    /** Absolute directory holding everything ePOST keeps on this peer's disk. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The overlay node's settings; empty when this peer runs without the overlay. */
    public Optional<OverlaySettings> overlay() {
        return overlay;
    }

    /** The POST settings (ePOST domains, user CA, key vault); empty when no ePOST domain is configured. */
    public Optional<PostSettings> post() {
        return post;
    }

    /** How mail is delivered through POST (notification timing, SMTP's wait, the part threshold). */
    public DeliverySettings delivery() {
        return delivery;
    }

    /** How long this peer's blocks are leased and how often it refreshes the leases of those still referenced. */
    public LeaseSettings lease() {
        return lease;
    }

    /** Glacier's settings; empty when {@code glacier.enabled} is not true. */
    public Optional<GlacierSettings> glacier() {
        return glacier;
    }

    /** How the work other nodes make this peer do (PAST stores, POST boxes and delegations) is shared per node. */
    public FairnessSettings fairness() {
        return fairness;
    }

    /** How the home peer's search index is committed. */
    public SearchSettings search() {
        return search;
    }

    /** How long a deleted user's keys and data are kept before they are given up. */
    public AccountSettings account() {
        return account;
    }

    @Override
    public String toString() {
        return "EpostConfiguration{peerName=" + peerName + ", dataDirectory=" + dataDirectory + ", overlay=" + overlay
            + ", post=" + post + ", lease=" + lease + "}";
    }
}
